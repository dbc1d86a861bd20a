/* json_out writes what json_dumps(JSON_OUT_DUMP_FLAGS) writes: every
 * answer the API gives goes through it, so a byte of difference is a
 * changed API. Tenths of a degree come out with one decimal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "http/jsonout.h"

static void same_at(json_t *v, int line)
{
	char *want = json_dumps(v, JSON_OUT_DUMP_FLAGS | JSON_ENCODE_ANY);
	size_t n = 0;
	char *got = json_out(v, &n);
	if (!want) fail_msg("json_dumps refused the document of line %d", line);
	assert_non_null(got);
	assert_string_equal(got, want);
	assert_int_equal(n, strlen(want));
	free(want);
	free(got);
	json_decref(v);
}

#define same(v) same_at((v), __LINE__)

/* A temperature of 372 tenths is 37.2 in an answer, not 37.200000000000003. */
static void tenths(void **state)
{
	(void)state;
	json_t *v = json_pack("{s:f,s:f,s:f}", "t", 372 / 10.0, "u", 365 / 10.0, "v", 0.1 + 0.2);
	char *got = json_out(v, NULL);
	assert_string_equal(got, "{\"t\":37.2,\"u\":36.5,\"v\":0.3}");
	free(got);
	json_decref(v);
}

static void fixed_documents(void **state)
{
	(void)state;
	same(json_object());
	same(json_array());
	same(json_pack("{s:i,s:s,s:b,s:b,s:n,s:f}", "a", 1, "名", "万寿御园", "t", 1, "f", 0, "z",
		       "r", 0.1));
	same(json_pack("[I,I,I,f,f,f]", (json_int_t)INT64_MIN, (json_int_t)INT64_MAX, (json_int_t)0,
		       1.0, -2.5e-300, 36.6));
	same(json_pack("{s:s}", "esc", "quote\" back\\ nl\n cr\r tab\t bs\b ff\f \x01\x1f / \x7f"));
	same(json_pack("{s:s}", "astral", "\xF0\x9F\x98\x80 and \xE2\x80\xA8"));
	same(json_stringn("nul\0inside", 10));
	json_t *o = json_object();
	json_object_setn_new(o, "k\0ey", 4, json_integer(1));
	json_object_set_new(o, "z", json_integer(2));
	json_object_set_new(o, "a", json_integer(3)); /* insertion order, not sorted */
	same(o);
	same(json_pack("{s:[{s:[]},{}],s:{s:{s:[i,i,[i]]}}}", "x", "y", "p", "q", "r", 1, 2, 3));
}

/* Random documents of every type, nested, with strings of random valid
 * UTF-8 and control characters. */
static json_t *random_value(unsigned *seed, int depth)
{
	int kind = rand_r(seed) % (depth > 4 ? 6 : 8);
	switch (kind) {
	case 0: return json_integer((json_int_t)rand_r(seed) - RAND_MAX / 2);
	case 1: return json_real((double)rand_r(seed) / 1000.0);
	case 2: return json_true();
	case 3: return json_null();
	case 4:
	case 5: {
		static const char *const parts[] = {"a", "\"", "\\", "\n", "\x02", "金凤", "\xF0\x9F\x98\x80",
						    " ", "/", "\x7f", "é", "\t"};
		char s[128] = "";
		int n = rand_r(seed) % 10;
		for (int i = 0; i < n; i++)
			strcat(s, parts[rand_r(seed) % 12]);
		return json_string(s);
	}
	case 6: {
		json_t *a = json_array();
		int n = rand_r(seed) % 5;
		for (int i = 0; i < n; i++)
			json_array_append_new(a, random_value(seed, depth + 1));
		return a;
	}
	default: {
		json_t *o = json_object();
		int n = rand_r(seed) % 5;
		for (int i = 0; i < n; i++) {
			char key[40];
			snprintf(key, sizeof key, "k%d\xE5\x90\x8D%d", rand_r(seed) % 50, i);
			json_object_set_new(o, key, random_value(seed, depth + 1));
		}
		return o;
	}
	}
}

static void random_documents(void **state)
{
	(void)state;
	unsigned seed = 2020;
	for (int i = 0; i < 3000; i++)
		same(random_value(&seed, 0));
}

/* Invalid UTF-8 cannot enter through json_string, but json_stringn_nocheck
 * and a database text can: json_out refuses it, as json_dumps does. */
static void invalid_utf8_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {"\x80", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80",
					  "\xF4\x90\x80\x80", "\xE4\xB8", "ok\xFF"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *v = json_pack("{s:o}", "x", json_stringn_nocheck(bad[i], strlen(bad[i])));
		assert_null(json_dumps(v, JSON_COMPACT));
		assert_null(json_out(v, NULL));
		json_decref(v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tenths),
		cmocka_unit_test(fixed_documents),
		cmocka_unit_test(random_documents),
		cmocka_unit_test(invalid_utf8_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
