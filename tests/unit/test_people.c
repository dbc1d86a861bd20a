/* Document and phone rules (DOMAIN.md Formats): resident ID check
 * characters, 15-digit upgrades, lower-case x, impossible or future birth
 * dates, masks, and the validation every write of a person goes through. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "feature/people.h"

/* 11010519491231002X is the standard's own example. */
static void good_numbers(void **state)
{
	(void)state;
	struct resident_id r;
	struct err_info ei = {0};
	assert_int_equal(people_resident_id("11010519491231002X", "2020-02-15", &r, "doc_number", &ei), 0);
	assert_string_equal(r.number, "11010519491231002X");
	assert_string_equal(r.birth_date, "1949-12-31");
	assert_int_equal(r.sex, 'F'); /* sequence 002: even */
	assert_int_equal(r.upgraded, 0);
	assert_int_equal(people_resident_id("11010519491231002x", NULL, &r, "doc_number", &ei), 0);
	assert_string_equal(r.number, "11010519491231002X");
	assert_int_equal(people_resident_id(" 110105 19491231 002X ", NULL, &r, "doc_number", &ei), 0);
	/* The standard's example: 11010519491231002 -> X. */
	assert_int_equal(people_id_check_char("11010519491231002"), 'X');
}

static void check_character(void **state)
{
	(void)state;
	struct resident_id r;
	struct err_info ei = {0};
	char good[19] = "64010619800101001";
	good[17] = people_id_check_char(good);
	good[18] = 0;
	assert_int_equal(people_resident_id(good, "2020-02-15", &r, "doc_number", &ei), 0);
	assert_int_equal(r.sex, 'M');
	char bad[19];
	memcpy(bad, good, 19);
	bad[17] = bad[17] == '1' ? '2' : '1';
	assert_int_equal(people_resident_id(bad, NULL, &r, "doc_number", &ei), ERR_INVALID);
	assert_string_equal(ei.field, "doc_number");
	char want[40];
	snprintf(want, sizeof want, "check character should be %c", good[17]);
	assert_non_null(strstr(ei.message, want));
}

static void upgrade_15(void **state)
{
	(void)state;
	struct resident_id r;
	struct err_info ei = {0};
	/* 15 digits: 640106 800101 001 -> 640106 19800101 001 + check */
	assert_int_equal(people_resident_id("640106800101001", NULL, &r, "doc_number", &ei), 0);
	assert_int_equal(strlen(r.number), 18);
	assert_memory_equal(r.number, "64010619800101001", 17);
	assert_int_equal(r.number[17], people_id_check_char("64010619800101001"));
	assert_int_equal(r.upgraded, 1);
	assert_string_equal(r.birth_date, "1980-01-01");
}

static void bad_numbers(void **state)
{
	(void)state;
	struct resident_id r;
	struct err_info ei = {0};
	assert_int_equal(people_resident_id("6401061980010100", NULL, &r, "id_number", &ei), ERR_INVALID);
	assert_string_equal(ei.field, "id_number");
	assert_non_null(strstr(ei.message, "18 characters"));
	assert_int_equal(people_resident_id("64010619800101A017", NULL, &r, "f", &ei), ERR_INVALID);
	assert_int_equal(people_resident_id("640106198002300017", NULL, &r, "f", &ei), ERR_INVALID);
	assert_non_null(strstr(ei.message, "not a real date")); /* 30 February */
	char future[19] = "64010620300101001";
	future[17] = people_id_check_char(future);
	future[18] = 0;
	assert_int_equal(people_resident_id(future, "2020-02-15", &r, "f", &ei), ERR_INVALID);
	assert_non_null(strstr(ei.message, "future"));
	char prov[19] = "99010619800101001";
	prov[17] = people_id_check_char(prov);
	prov[18] = 0;
	assert_int_equal(people_resident_id(prov, NULL, &r, "f", &ei), ERR_INVALID);
	assert_non_null(strstr(ei.message, "province"));
	/* An abolished county's address code is still a valid number. */
	char old[19] = "64010219800101001"; /* 640102: an old Yinchuan district */
	old[17] = people_id_check_char(old);
	old[18] = 0;
	assert_int_equal(people_resident_id(old, NULL, &r, "f", &ei), 0);
}

static void phones(void **state)
{
	(void)state;
	char out[12];
	struct err_info ei = {0};
	assert_int_equal(people_phone("13812345678", out, "phone", &ei), 0);
	assert_string_equal(out, "13812345678");
	assert_int_equal(people_phone("+86 138 1234 5678", out, "phone", &ei), 0);
	assert_string_equal(out, "13812345678");
	assert_int_equal(people_phone("8613812345678", out, "phone", &ei), 0);
	assert_int_equal(people_phone("138-1234-5678", out, "phone", &ei), 0);
	assert_int_equal(people_phone("12812345678", out, "phone", &ei), ERR_INVALID);
	assert_string_equal(ei.field, "phone");
	assert_int_equal(people_phone("1381234567", out, "phone", &ei), ERR_INVALID);
	assert_int_equal(people_phone("0951-5012345", out, "phone", &ei), ERR_INVALID);
	/* Full-width digits, as a Chinese input method types them. */
	assert_int_equal(people_phone("１３８１２３４５６７８", out, "phone", &ei), 0);
	assert_string_equal(out, "13812345678");
}

/* A full-width Ｘ and full-width digits are the same ID number; other
 * documents are matched on their folded, upper-cased form. */
static void full_width(void **state)
{
	(void)state;
	struct resident_id r;
	struct err_info ei = {0};
	assert_int_equal(people_resident_id("11010519491231002Ｘ", "2020-02-15", &r, "doc_number", &ei), 0);
	assert_string_equal(r.number, "11010519491231002X");
	assert_int_equal(people_resident_id("１１０１０５１９４９１２３１００２ｘ", "2020-02-15", &r,
					    "doc_number", &ei), 0);
	assert_string_equal(r.number, "11010519491231002X");
	assert_int_equal(people_resident_id("110105　19491231002X", "2020-02-15", &r, "doc_number", &ei), 0);
	char out[40];
	assert_int_equal(people_doc_number("passport", "ｅ１２３４５６７８", NULL, out, sizeof out, NULL,
					   "doc_number", &ei), 0);
	assert_string_equal(out, "E12345678");
	/* Kept as typed beside the key (DOMAIN.md), matched on the key. */
	char typed[64];
	assert_int_equal(people_doc_number("passport", " e 1234 5678 ", NULL, out, sizeof out, NULL,
					   "doc_number", &ei), 0);
	assert_string_equal(out, "E12345678");
	people_doc_typed("passport", " e 1234 5678 ", out, typed, sizeof typed);
	assert_string_equal(typed, "e 1234 5678");
	people_doc_typed("passport", "E12345678", out, typed, sizeof typed);
	assert_string_equal(typed, "");
	people_doc_typed("resident_id", "11010519491231002x", "11010519491231002X", typed,
			 sizeof typed);
	assert_string_equal(typed, "");
}

/* A household search typed 3-2-301 finds 3号楼2单元301 and back. */
static void address_alts(void **state)
{
	(void)state;
	char out[96];
	assert_int_equal(people_address_alt("3-2-301", out, sizeof out), 1);
	assert_string_equal(out, "3号楼2单元301");
	assert_int_equal(people_address_alt(" 1－1－101 ", out, sizeof out), 1);
	assert_string_equal(out, "1号楼1单元101");
	assert_int_equal(people_address_alt("3-2", out, sizeof out), 1);
	assert_string_equal(out, "3号楼2单元");
	assert_int_equal(people_address_alt("1号楼1单元101", out, sizeof out), 1);
	assert_string_equal(out, "1-1-101");
	assert_int_equal(people_address_alt("12栋3单元502室", out, sizeof out), 1);
	assert_string_equal(out, "12-3-502");
	assert_int_equal(people_address_alt("301", out, sizeof out), 0);
	assert_int_equal(people_address_alt("3-2-301 x", out, sizeof out), 0);
	assert_int_equal(people_address_alt("幸福小区", out, sizeof out), 0);
}

static void masks(void **state)
{
	(void)state;
	char out[40];
	people_mask_doc("resident_id", "64010619800101001X", out, sizeof out);
	assert_string_equal(out, "640106********001X");
	people_mask_doc("passport", "E12345678", out, sizeof out);
	assert_string_equal(out, "E1*****78");
	people_mask_phone("13812345678", out, sizeof out);
	assert_string_equal(out, "138****5678");
}

static void validation(void **state)
{
	(void)state;
	struct err_info ei = {0};
	char id[19] = "64010619800101001";
	id[17] = people_id_check_char(id);
	id[18] = 0;
	struct person_in in = {.doc_number = id, .name = "张三", .phone = "13812345678"};
	assert_int_equal(people_validate(&in, "2020-02-15", &ei), 0);
	in.birth_date = "1980-01-02";
	assert_int_equal(people_validate(&in, "2020-02-15", &ei), ERR_INVALID);
	assert_string_equal(ei.field, "birth_date");
	in.birth_date = "1980-01-01";
	in.sex = "F";
	assert_int_equal(people_validate(&in, "2020-02-15", &ei), ERR_INVALID);
	assert_string_equal(ei.field, "sex");
	in.sex = NULL;
	in.doc_type = "passport";
	in.doc_number = "e1234 5678";
	assert_int_equal(people_validate(&in, "2020-02-15", &ei), 0);
	in.doc_type = "visa";
	assert_int_equal(people_validate(&in, "2020-02-15", &ei), ERR_INVALID);
	assert_string_equal(ei.field, "doc_type");
	in.doc_type = NULL;
	in.doc_number = id;
	in.name = "";
	assert_int_equal(people_validate(&in, NULL, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "name");
}

/* What a search box text is taken for (GET /persons?q=). */
static void search_kinds(void **state)
{
	(void)state;
	char out[80];
	char id[19] = "64010619800101001";
	id[17] = people_id_check_char(id);
	id[18] = 0;
	assert_int_equal(people_search_kind(id, out, sizeof out), PEOPLE_SEARCH_RESIDENT_ID);
	assert_string_equal(out, id);
	/* A 15-digit number is searched in its 18-character form. */
	assert_int_equal(people_search_kind(" 640106800101001 ", out, sizeof out),
			 PEOPLE_SEARCH_RESIDENT_ID);
	assert_memory_equal(out, "64010619800101001", 17);
	assert_int_equal(people_search_kind("11010519491231002x", out, sizeof out),
			 PEOPLE_SEARCH_RESIDENT_ID);
	assert_string_equal(out, "11010519491231002X");
	assert_int_equal(people_search_kind("+86 138 1234 5678", out, sizeof out),
			 PEOPLE_SEARCH_PHONE);
	assert_string_equal(out, "13812345678");
	assert_int_equal(people_search_kind("1234", out, sizeof out), PEOPLE_SEARCH_LAST4);
	assert_string_equal(out, "1234");
	assert_int_equal(people_search_kind("002x", out, sizeof out), PEOPLE_SEARCH_LAST4);
	assert_string_equal(out, "002X");
	assert_int_equal(people_search_kind("e12345678", out, sizeof out), PEOPLE_SEARCH_DOC);
	assert_string_equal(out, "E12345678");
	/* A resident ID with a wrong check character is still a whole number. */
	char bad[19];
	memcpy(bad, id, sizeof bad);
	bad[17] = bad[17] == '1' ? '2' : '1';
	assert_int_equal(people_search_kind(bad, out, sizeof out), PEOPLE_SEARCH_DOC);
	assert_int_equal(people_search_kind(" 张伟 ", out, sizeof out), PEOPLE_SEARCH_NAME);
	assert_string_equal(out, "张伟");
	assert_int_equal(people_search_kind("Smith", out, sizeof out), PEOPLE_SEARCH_NAME);
	assert_int_equal(people_search_kind("x12", out, sizeof out), PEOPLE_SEARCH_DOC);
	/* A passport as typed, with spaces or full-width: searched by its key. */
	assert_int_equal(people_search_kind("e 1234 5678", out, sizeof out), PEOPLE_SEARCH_DOC);
	assert_string_equal(out, "E12345678");
	assert_int_equal(people_search_kind("Ｅ１２３４５６７８", out, sizeof out), PEOPLE_SEARCH_DOC);
	assert_string_equal(out, "E12345678");
	assert_int_equal(people_search_kind("John Smith", out, sizeof out), PEOPLE_SEARCH_NAME);
	assert_int_equal(people_search_kind("ab", out, sizeof out), PEOPLE_SEARCH_NAME);
	assert_int_equal(people_search_kind("12", out, sizeof out), PEOPLE_SEARCH_NAME);
}

/* The plans a name search takes, with the counts of the demo district
 * (620,623 persons; a sub-district of 100,830; a compound of 1,000). */
static void name_plans(void **state)
{
	(void)state;
	const double all = 620623, sub = 100830;
	/* The admin: a rare surname from the index, a common one by walking. */
	assert_int_equal(people_name_plan(1900, all, all, 51, 0, 3, NULL), NAME_BY_INDEX);
	assert_int_equal(people_name_plan(3206, all, all, 51, 0, 3, NULL), NAME_BY_INDEX);
	assert_int_equal(people_name_plan(7774, all, all, 51, 0, 3, NULL), NAME_WALK);
	assert_int_equal(people_name_plan(NAME_COUNT_CAP, all, all, 51, 0, 3, NULL), NAME_WALK);
	/* An officer's sub-district: the index until a surname is very common. */
	assert_int_equal(people_name_plan(4711, sub, all, 51, 0, 3, NULL), NAME_BY_INDEX);
	assert_int_equal(people_name_plan(NAME_COUNT_CAP, sub, all, 51, 0, 3, NULL), NAME_WALK);
	/* A full name: a few entries, whatever the scope. */
	assert_int_equal(people_name_plan(3, 1000, all, 51, 0, 3, NULL), NAME_BY_INDEX);
	/* With a filter the index alone cannot answer: few rows, or the
	 * cheaper of a walk and the scope's persons. */
	assert_int_equal(people_name_plan(100, sub, all, 51, 1, 3, NULL), NAME_ROWS);
	assert_int_equal(people_name_plan(5000, 1000, all, 51, 1, 3, NULL), NAME_SCOPE);
	assert_int_equal(people_name_plan(NAME_COUNT_CAP, all, all, 51, 1, 3, NULL), NAME_WALK);
	/* A district not yet counted: the index, or a walk under a filter. */
	assert_int_equal(people_name_plan(5, 0, 0, 51, 0, 3, NULL), NAME_BY_INDEX);
	assert_int_equal(people_name_plan(5000, 0, 0, 51, 1, 3, NULL), NAME_WALK);
	/* A bigger page makes a walk longer, not the index. */
	assert_int_equal(people_name_plan(7774, all, all, 501, 0, 3, NULL), NAME_BY_INDEX);
	/* Forced by CORDON_NAME_SEARCH; the index only where it can answer. */
	assert_int_equal(people_name_plan(3, 1000, all, 51, 0, 3, "walk"), NAME_WALK);
	assert_int_equal(people_name_plan(3, 1000, all, 51, 0, 3, "scope"), NAME_SCOPE);
	assert_int_equal(people_name_plan(3, 1000, all, 51, 0, 3, "rows"), NAME_ROWS);
	assert_int_equal(people_name_plan(7774, all, all, 51, 0, 3, "index"), NAME_BY_INDEX);
	assert_int_equal(people_name_plan(100, sub, all, 51, 1, 3, "index"), NAME_ROWS);
	assert_int_equal(people_name_plan(7774, all, all, 51, 0, 3, "auto"), NAME_WALK);
	assert_int_equal(people_name_plan(7774, all, all, 51, 0, 3, "fastest"), NAME_WALK);
	assert_int_equal(people_name_plan(7774, all, all, 51, 0, 3, ""), NAME_WALK);
}

/* Counting names only as far as people_name_count_cap says chooses the
 * plan counting up to NAME_COUNT_CAP chooses, for every count. */
static void name_count_caps(void **state)
{
	(void)state;
	const double all = 620623;
	const double scopes[] = {0, 1, 600, 2500, 10270, 100830, 310000, all};
	const double alls[] = {0, all, 6206230};
	const int64_t pages[] = {2, 51, 501};
	for (size_t a = 0; a < sizeof alls / sizeof alls[0]; a++)
	for (size_t s = 0; s < sizeof scopes / sizeof scopes[0]; s++)
	for (size_t p = 0; p < sizeof pages / sizeof pages[0]; p++)
	for (int f = 0; f < 2; f++)
	for (int e = 3; e <= 10; e += 7) { /* SQLite's entry cost, PostgreSQL's */
		int64_t cap = people_name_count_cap(scopes[s], alls[a], pages[p], f, e, NULL);
		assert_true(cap >= 2000 && cap <= NAME_COUNT_CAP);
		for (int64_t m = 1; m <= NAME_COUNT_CAP + 100; m++) {
			int64_t full = m < NAME_COUNT_CAP ? m : NAME_COUNT_CAP;
			int64_t part = m < cap ? m : cap;
			if (people_name_plan(full, scopes[s], alls[a], pages[p], f, e, NULL) !=
			    people_name_plan(part, scopes[s], alls[a], pages[p], f, e, NULL))
				fail_msg("scope %.0f all %.0f page %lld filtered %d entry %d: count %lld"
					 " capped at %lld chooses otherwise",
					 scopes[s], alls[a], (long long)pages[p], f, e, (long long)m,
					 (long long)cap);
		}
	}
	/* The commander's and the officer's common surname on the demo. */
	assert_int_equal(people_name_count_cap(all, all, 51, 0, 3, NULL), 3251);
	assert_true(people_name_count_cap(100830, all, 51, 0, 3, NULL) < 8100);
	/* On PostgreSQL an entry costs more (it visits its row): a common
	 * surname is walked sooner, and counted less far. */
	assert_int_equal(people_name_plan(2675, all, all, 51, 0, 3, NULL), NAME_BY_INDEX);
	assert_int_equal(people_name_plan(2675, all, all, 51, 0, 10, NULL), NAME_WALK);
	assert_int_equal(people_name_plan(2675, 100830, all, 51, 0, 10, NULL), NAME_BY_INDEX);
	assert_true(people_name_count_cap(all, all, 51, 0, 10, NULL) <= 2002);
	/* A forced plan counts as before. */
	assert_int_equal(people_name_count_cap(all, all, 51, 0, 3, "walk"), NAME_COUNT_CAP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_numbers), cmocka_unit_test(check_character),
		cmocka_unit_test(upgrade_15),   cmocka_unit_test(bad_numbers),
		cmocka_unit_test(phones),       cmocka_unit_test(masks),
		cmocka_unit_test(validation),   cmocka_unit_test(search_kinds),
		cmocka_unit_test(name_plans),  cmocka_unit_test(name_count_caps),
		cmocka_unit_test(full_width), cmocka_unit_test(address_alts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
