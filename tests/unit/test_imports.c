/* The pure half of list imports: which header texts name which field (in
 * Chinese or English, any case), a header without the document column,
 * the date spellings spreadsheets produce, the words for document types,
 * sexes and modes of travel, and the validation of a data row — each kind
 * of bad row with the field it names, blank rows skipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "feature/imports.h"

static void header_fields(void **state)
{
	(void)state;
	assert_int_equal(imports_header_field("姓名"), IMP_NAME);
	assert_int_equal(imports_header_field("name"), IMP_NAME);
	assert_int_equal(imports_header_field(" Name "), IMP_NAME);
	assert_int_equal(imports_header_field("身份证号"), IMP_DOC_NUMBER);
	assert_int_equal(imports_header_field("证件号码"), IMP_DOC_NUMBER);
	assert_int_equal(imports_header_field("ID_Number"), IMP_DOC_NUMBER);
	assert_int_equal(imports_header_field("doc_number"), IMP_DOC_NUMBER);
	assert_int_equal(imports_header_field("证件类型"), IMP_DOC_TYPE);
	assert_int_equal(imports_header_field("手机"), IMP_PHONE);
	assert_int_equal(imports_header_field("手机号"), IMP_PHONE);
	assert_int_equal(imports_header_field("电话"), IMP_PHONE);
	assert_int_equal(imports_header_field("PHONE"), IMP_PHONE);
	assert_int_equal(imports_header_field("性别"), IMP_SEX);
	assert_int_equal(imports_header_field("出生日期"), IMP_BIRTH_DATE);
	assert_int_equal(imports_header_field("来源地"), IMP_ORIGIN);
	assert_int_equal(imports_header_field("抵达日期"), IMP_ARRIVAL_DATE);
	assert_int_equal(imports_header_field("交通方式"), IMP_MODE);
	assert_int_equal(imports_header_field("地址"), IMP_ADDRESS);
	assert_int_equal(imports_header_field("小区"), IMP_COMPOUND);
	assert_int_equal(imports_header_field("compound"), IMP_COMPOUND);
	assert_int_equal(imports_header_field("\xEF\xBB\xBF姓名"), IMP_NAME); /* a stray BOM */
	assert_int_equal(imports_header_field("备注"), -1);
	assert_int_equal(imports_header_field(""), -1);
	assert_int_equal(imports_header_field("张三"), -1);
	assert_int_equal(imports_header_field(NULL), -1);
	assert_string_equal(imports_col_name(IMP_DOC_NUMBER), "doc_number");
	assert_string_equal(imports_col_name(IMP_COMPOUND), "compound");
}

static void header_rows(void **state)
{
	(void)state;
	int col[IMP_NCOLS];
	char *h1[] = {"序号", "姓名", "身份证号", "手机", "备注", "电话"};
	assert_int_equal(imports_map_header(h1, 6, col), 3);
	assert_int_equal(col[IMP_NAME], 1);
	assert_int_equal(col[IMP_DOC_NUMBER], 2);
	assert_int_equal(col[IMP_PHONE], 3); /* the first phone column wins */
	assert_int_equal(col[IMP_ORIGIN], -1);
	assert_int_equal(col[IMP_COMPOUND], -1);
	char *h2[] = {"name", "id_number", "origin", "arrival_date", "mode", "address", "compound"};
	assert_int_equal(imports_map_header(h2, 7, col), 7);
	assert_int_equal(col[IMP_COMPOUND], 6);
	/* A data row is no header: no document column. */
	char *d[] = {"张三", "11010519491231002X", "13812345678"};
	imports_map_header(d, 3, col);
	assert_int_equal(col[IMP_DOC_NUMBER], -1);
	const char *msg = imports_expected_columns();
	assert_true(strlen(msg) < 256); /* fits an error message */
	assert_non_null(strstr(msg, "身份证号/id_number"));
	assert_non_null(strstr(msg, "小区/compound"));
}

static void dates(void **state)
{
	(void)state;
	char d[DAY_LEN];
	assert_int_equal(imports_date("2020-02-03", d), 0);
	assert_string_equal(d, "2020-02-03");
	assert_int_equal(imports_date("2020/2/3", d), 0);
	assert_string_equal(d, "2020-02-03");
	assert_int_equal(imports_date("2020.12.31", d), 0);
	assert_string_equal(d, "2020-12-31");
	assert_int_equal(imports_date("20200203", d), 0);
	assert_string_equal(d, "2020-02-03");
	assert_int_equal(imports_date("2020年2月3日", d), 0);
	assert_string_equal(d, "2020-02-03");
	assert_int_equal(imports_date("2020年02月03", d), 0);
	assert_int_equal(imports_date("2020-02-30", d), -1);
	assert_int_equal(imports_date("2019-02-29", d), -1);
	assert_int_equal(imports_date("2020-13-01", d), -1);
	assert_int_equal(imports_date("2020-2", d), -1);
	assert_int_equal(imports_date("2020/02-03", d), -1);
	assert_int_equal(imports_date("20-02-03", d), -1);
	assert_int_equal(imports_date("2020-02-03x", d), -1);
	assert_int_equal(imports_date("yesterday", d), -1);
	assert_int_equal(imports_date("", d), -1);
	assert_int_equal(imports_date(NULL, d), -1);
}

static void words(void **state)
{
	(void)state;
	assert_string_equal(imports_doc_type(NULL), "resident_id");
	assert_string_equal(imports_doc_type(""), "resident_id");
	assert_string_equal(imports_doc_type("居民身份证"), "resident_id");
	assert_string_equal(imports_doc_type("身份证"), "resident_id");
	assert_string_equal(imports_doc_type("护照"), "passport");
	assert_string_equal(imports_doc_type("Passport"), "passport");
	assert_string_equal(imports_doc_type("港澳通行证"), "hk_macao_permit");
	assert_string_equal(imports_doc_type("台胞证"), "taiwan_permit");
	assert_string_equal(imports_doc_type("其他"), "other");
	assert_null(imports_doc_type("驾驶证"));
	assert_string_equal(imports_sex("男"), "M");
	assert_string_equal(imports_sex("女"), "F");
	assert_string_equal(imports_sex("m"), "M");
	assert_string_equal(imports_sex("Female"), "F");
	assert_null(imports_sex("x"));
	assert_string_equal(imports_mode(""), "other");
	assert_string_equal(imports_mode(NULL), "other");
	assert_string_equal(imports_mode("火车"), "train");
	assert_string_equal(imports_mode("高铁"), "train");
	assert_string_equal(imports_mode("自驾"), "car");
	assert_string_equal(imports_mode("飞机"), "plane");
	assert_string_equal(imports_mode("Plane"), "plane");
	assert_string_equal(imports_mode("其他"), "other");
	assert_null(imports_mode("骆驼"));
}

/* Parses one row under the header 姓名,身份证号,手机,性别,出生日期,来源地,
 * 抵达日期,交通方式,地址,小区. */
static int parse(char **f, struct import_row *row, struct err_info *ei)
{
	char *h[] = {"姓名", "身份证号", "手机", "性别", "出生日期", "来源地", "抵达日期",
		     "交通方式", "地址", "小区"};
	int col[IMP_NCOLS];
	imports_map_header(h, 10, col);
	memset(ei, 0, sizeof *ei);
	return imports_parse_row(col, f, 10, "2020-02-15", row, ei);
}

static void rows(void **state)
{
	(void)state;
	struct import_row r;
	struct err_info ei;
	char *good[] = {"张三", "11010519491231002x", "+86 138 1234 5678", "女", "1949/12/31",
			"湖北省武汉市", "2020年1月20日", "火车", "1号楼1单元101", "万寿御园"};
	assert_int_equal(parse(good, &r, &ei), 0);
	assert_string_equal(r.p.doc_type, "resident_id");
	assert_string_equal(r.p.name, "张三");
	assert_string_equal(r.p.sex, "F");
	assert_string_equal(r.p.birth_date, "1949-12-31");
	assert_string_equal(r.origin, "湖北省武汉市");
	assert_string_equal(r.arrival_date, "2020-01-20");
	assert_string_equal(r.mode, "train");
	assert_string_equal(r.address, "1号楼1单元101");
	assert_string_equal(r.compound, "万寿御园");

	char *minimal[] = {"李四", "11010519491231002X", "", "", "", "", "", "", "", ""};
	assert_int_equal(parse(minimal, &r, &ei), 0);
	assert_null(r.p.phone);
	assert_null(r.p.sex);
	assert_null(r.origin);
	assert_null(r.address);
	assert_null(r.compound);

	char *broken[] = {"李四", "11010519491231002X", "", "", "", "", "", "", "\r\n 2号楼\r\n2单元\t202 \n", ""};
	assert_int_equal(parse(broken, &r, &ei), 0);
	assert_string_equal(r.address, "2号楼 2单元 202");
	char *newline[] = {"李\n四", "11010519491231002X", "", "", "", "", "", "", "", ""};
	assert_int_equal(parse(newline, &r, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "name");

	char *blank[] = {"", "", "", "", "", "", "", "", "", ""};
	assert_int_equal(parse(blank, &r, &ei), 1);

	char *check[] = {"王五", "110105194912310021", "", "", "", "", "", "", "", ""};
	assert_int_equal(parse(check, &r, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "doc_number");
	assert_non_null(strstr(ei.message, "check character should be X"));

	char *nodoc[] = {"王五", "", "", "", "", "", "", "", "", ""};
	assert_int_equal(parse(nodoc, &r, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "doc_number");

	char *phone[] = {"王五", "11010519491231002X", "12345", "", "", "", "", "", "", ""};
	assert_int_equal(parse(phone, &r, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "phone");

	char *sex[] = {"王五", "11010519491231002X", "", "男", "", "", "", "", "", ""};
	assert_int_equal(parse(sex, &r, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "sex"); /* the ID says female */
	char *sex2[] = {"王五", "11010519491231002X", "", "?", "", "", "", "", "", ""};
	assert_int_equal(parse(sex2, &r, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "sex");

	char *birth[] = {"王五", "11010519491231002X", "", "", "1950-01-01", "", "", "", "", ""};
	assert_int_equal(parse(birth, &r, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "birth_date");

	char *nodate[] = {"王五", "11010519491231002X", "", "", "", "武汉", "", "", "", ""};
	assert_int_equal(parse(nodate, &r, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "arrival_date");
	char *noorigin[] = {"王五", "11010519491231002X", "", "", "", "", "2020-01-02", "", "", ""};
	assert_int_equal(parse(noorigin, &r, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "origin");
	char *baddate[] = {"王五", "11010519491231002X", "", "", "", "武汉", "2020-02-31", "", "", ""};
	assert_int_equal(parse(baddate, &r, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "arrival_date");
	char *future[] = {"王五", "11010519491231002X", "", "", "", "武汉", "2020-03-01", "", "", ""};
	assert_int_equal(parse(future, &r, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "arrival_date");
	char *mode[] = {"王五", "11010519491231002X", "", "", "", "武汉", "2020-02-01", "骆驼", "", ""};
	assert_int_equal(parse(mode, &r, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "mode");

	char *longname[] = {"王五王五王五王五王五王五王五王五王五王五王五王五王五王五王五王五"
			    "王五王五王五王五王五王五王五王五王五王五王五王五王五王五王五王五王",
			    "11010519491231002X", "", "", "", "", "", "", "", ""};
	assert_int_equal(parse(longname, &r, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "name");

	/* Fewer cells than columns: the missing ones are empty. */
	char *h[] = {"姓名", "身份证号", "手机"};
	int col[IMP_NCOLS];
	imports_map_header(h, 3, col);
	char *shortrow[] = {"赵六", "11010519491231002X"};
	assert_int_equal(imports_parse_row(col, shortrow, 2, NULL, &r, &ei), 0);
	assert_null(r.p.phone);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_fields), cmocka_unit_test(header_rows),
		cmocka_unit_test(dates),         cmocka_unit_test(words),
		cmocka_unit_test(rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
