/* Pass tokens and colours: a signed token verifies with its key and no
 * other, any change to it breaks the signature, malformed ones are refused,
 * and the colour follows DOMAIN.md's rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>

#include "feature/passes.h"

static void sign_and_verify(void **state)
{
	(void)state;
	assert_true(sodium_init() >= 0);
	unsigned char pk[32], sk[64], pk2[32], sk2[64];
	crypto_sign_keypair(pk, sk);
	crypto_sign_keypair(pk2, sk2);
	struct pass_claims c = {.pass_id = 7, .person_id = 42, .unit_id = 311,
				.issued_at = 1581700000, .expires_at = 1584300000};
	strcpy(c.kid, "k2020a");
	char tok[PASS_TOKEN_MAX + 1];
	assert_int_equal(passes_token_sign(&c, sk, tok, sizeof tok), 0);
	assert_true(strlen(tok) < 200); /* small enough for a QR a phone reads */
	assert_true(passes_token_verify(tok, pk));
	assert_false(passes_token_verify(tok, pk2)); /* another key */
	struct pass_claims d;
	struct err_info ei = {0};
	assert_int_equal(passes_token_parse(tok, &d, &ei), 0);
	assert_int_equal(d.pass_id, 7);
	assert_int_equal(d.person_id, 42);
	assert_int_equal(d.unit_id, 311);
	assert_int_equal(d.expires_at, 1584300000);
	assert_string_equal(d.kid, "k2020a");

	/* A forged payload (another person) with the old signature fails. */
	struct pass_claims f = c;
	f.person_id = 43;
	char forged[PASS_TOKEN_MAX + 1], other[PASS_TOKEN_MAX + 1];
	passes_token_sign(&f, sk2, other, sizeof other);
	const char *dot = strchr(tok, '.'), *odot = strchr(other, '.');
	memcpy(forged, other, (size_t)(odot - other));
	strcpy(forged + (odot - other), dot);
	assert_false(passes_token_verify(forged, pk));
	/* Flipping one character of the signature fails. */
	char flipped[PASS_TOKEN_MAX + 1];
	strcpy(flipped, tok);
	size_t n = strlen(flipped);
	flipped[n - 2] = flipped[n - 2] == 'A' ? 'B' : 'A';
	assert_false(passes_token_verify(flipped, pk));
}

static void malformed(void **state)
{
	(void)state;
	struct pass_claims d;
	struct err_info ei = {0};
	assert_int_equal(passes_token_parse("", &d, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "token");
	assert_int_equal(passes_token_parse("abc", &d, &ei), ERR_INVALID);
	assert_int_equal(passes_token_parse("abc.def", &d, &ei), ERR_INVALID);
	assert_int_equal(passes_token_parse("640106198001010017", &d, &ei), ERR_INVALID);
	assert_false(passes_token_verify("abc.def", (const unsigned char *)"0123456789abcdef0123456789abcdef"));
}

static void colours(void **state)
{
	(void)state;
	char why[128];
	struct colour_facts f = {0};
	assert_string_equal(passes_colour(&f, why, sizeof why), "green");
	f.travel_obs = 1;
	assert_string_equal(passes_colour(&f, why, sizeof why), "yellow");
	f.temp_missed = 1;
	assert_string_equal(passes_colour(&f, why, sizeof why), "yellow");
	assert_non_null(strstr(why, "temperature"));
	f.fever = 1;
	assert_string_equal(passes_colour(&f, why, sizeof why), "red");
	assert_non_null(strstr(why, "fever"));
	struct colour_facts g = {.general_contact = 1};
	assert_string_equal(passes_colour(&g, why, sizeof why), "yellow");
	struct colour_facts h = {.close_contact_obs = 1};
	assert_string_equal(passes_colour(&h, why, sizeof why), "red");
	struct colour_facts k = {.case_or_suspect = 1, .general_contact = 1};
	assert_string_equal(passes_colour(&k, why, sizeof why), "red");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sign_and_verify),
		cmocka_unit_test(malformed),
		cmocka_unit_test(colours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
