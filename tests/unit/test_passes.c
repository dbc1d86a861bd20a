/* Pass tokens and colours: a signed token verifies with its key and no
 * other, any change to it breaks the signature, malformed ones are refused,
 * the verified-token cache never accepts what verification would refuse,
 * and the colour follows DOMAIN.md's rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "db/db.h"
#include "feature/gates.h"
#include "feature/passes.h"
#include "unit_db.h"

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

/* passes_check_token with its cache: a token is accepted each time it is
 * shown, while a copy with one character changed, a token signed by
 * another key under the same kid, and an unknown kid are refused, also
 * after the genuine token is cached, over two rounds of a few hundred
 * tokens. */
static void check_token_cache(void **state)
{
	(void)state;
	assert_true(sodium_init() >= 0);
	char path[64];
	unit_db_path(path, sizeof path, "passes");
	struct db *db;
	struct err_info ei = {0};
	assert_int_equal(db_open(path, 1, &db, &ei), 0);
	unsigned char pk[32], sk[64], pk2[32], sk2[64];
	crypto_sign_keypair(pk, sk);
	crypto_sign_keypair(pk2, sk2);
	char pk64[64];
	sodium_bin2base64(pk64, sizeof pk64, pk, 32, sodium_base64_VARIANT_ORIGINAL);
	struct dbc *c = db_acquire(db, DB_WRITE);
	assert_true(db_run(c, "INSERT INTO pass_keys(kid, public_key, secret_key, created_at)"
			      " VALUES ('kcache', $1, 'x', 1)", "t", pk64) == 1);
	db_release(db, c);
	c = db_acquire(db, DB_READ);
	struct pass_claims cl = {.person_id = 42, .unit_id = 311, .issued_at = 1581700000,
				 .expires_at = 1584300000}, got;
	strcpy(cl.kid, "kcache");
	char tok[PASS_TOKEN_MAX + 1], bad[PASS_TOKEN_MAX + 1];
	for (int round = 0; round < 2; round++) {
		for (int i = 1; i <= 20000; i += 97) {
			cl.pass_id = i;
			assert_int_equal(passes_token_sign(&cl, sk, tok, sizeof tok), 0);
			for (int again = 0; again < 2; again++) {
				memset(&got, 0, sizeof got);
				assert_int_equal(passes_check_token(c, tok, &got), 1);
				assert_int_equal(got.pass_id, i);
				assert_int_equal(got.person_id, 42);
				assert_string_equal(got.kid, "kcache");
			}
			strcpy(bad, tok); /* the signature's last character changed */
			size_t n = strlen(bad);
			bad[n - 1] = bad[n - 1] == 'A' ? 'B' : 'A';
			assert_int_equal(passes_check_token(c, bad, &got), 0);
			assert_int_equal(passes_token_sign(&cl, sk2, bad, sizeof bad), 0);
			assert_int_equal(passes_check_token(c, bad, &got), 0); /* another key */
		}
	}
	strcpy(cl.kid, "knone");
	assert_int_equal(passes_token_sign(&cl, sk, tok, sizeof tok), 0);
	assert_int_equal(passes_check_token(c, tok, &got), 0); /* unknown key */
	assert_int_equal(passes_check_token(c, "not a pass", &got), 0);
	db_release(db, c);
	db_close(db);
	unit_db_remove(path);
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

/* The reason says what decided the colour: the open fever's reading and
 * day, the observation's end day, and after a record a green says what
 * ended it, never "no record". */
static void colour_reasons(void **state)
{
	(void)state;
	char why[128];
	struct colour_facts f = {.fever = 1, .fever_tenths = 375, .fever_day = "2020-02-03"};
	assert_string_equal(passes_colour(&f, why, sizeof why), "red");
	assert_string_equal(why, "fever 37.5 °C on 2020-02-03, not yet closed by a medic");
	struct colour_facts g = {.travel_obs = 1, .obs_end = "2020-02-17"};
	assert_string_equal(passes_colour(&g, why, sizeof why), "yellow");
	assert_string_equal(why, "under observation after travel until 2020-02-17");
	struct colour_facts h = {.obs_end = "2020-02-17"};
	assert_string_equal(passes_colour(&h, why, sizeof why), "green");
	assert_string_equal(why, "observation after travel ended on 2020-02-17");
	struct colour_facts k = {.fever_closed = 1};
	assert_string_equal(passes_colour(&k, why, sizeof why), "green");
	assert_string_equal(why, "fever followed up and closed by a medic");
	struct colour_facts none = {0};
	assert_string_equal(passes_colour(&none, why, sizeof why), "green");
	assert_string_equal(why, "no record against this person");
}

/* Observation lasts through arrival day + 14 (DOMAIN.md): an arrival on
 * today - 14 is still under observation today, and free tomorrow. */
static void observation_days(void **state)
{
	(void)state;
	char end[DAY_LEN];
	assert_int_equal(passes_observation("2020-02-01", 14, "2020-02-15", end), 1);
	assert_string_equal(end, "2020-02-15");
	assert_int_equal(passes_observation("2020-02-01", 14, "2020-02-16", end), 0);
	assert_int_equal(passes_observation("2020-02-01", 14, "2020-02-01", end), 1);
	assert_int_equal(passes_observation("2020-02-20", 14, "2020-03-05", end), 1);
	assert_string_equal(end, "2020-03-05");
	assert_int_equal(passes_observation("2020-02-30", 14, "2020-03-05", end), -1);
}

/* The gate's decision follows the contract's order and says why. */
static void gate_decisions(void **state)
{
	(void)state;
	struct gate_decision d;
	struct gate_facts ok = {.ident = GATE_ID_OK, .resident = 1, .kind = "resident",
				.colour = "green", .colour_reason = "no record", .has_temp = 1,
				.temp = 365, .fever_at = 373};
	gates_decide(&ok, &d);
	assert_true(d.allow);
	assert_string_equal(d.code, "ok");
	assert_non_null(strstr(d.reason, "36.5"));

	struct gate_facts f = ok;
	f.ident = GATE_ID_FORGED;
	f.expired = 1;
	gates_decide(&f, &d);
	assert_false(d.allow);
	assert_string_equal(d.code, "forged"); /* identity first */

	f = ok;
	f.expired = 1;
	f.revoked = 1;
	snprintf(f.expired_day, sizeof f.expired_day, "2020-02-14");
	gates_decide(&f, &d);
	assert_string_equal(d.code, "expired");
	assert_non_null(strstr(d.reason, "2020-02-14"));

	f = ok;
	f.revoked = 1;
	f.revoked_reason = "moved out";
	f.resident = 0;
	gates_decide(&f, &d);
	assert_string_equal(d.code, "revoked");
	assert_non_null(strstr(d.reason, "moved out"));

	f = ok;
	f.other_compound = 1;
	gates_decide(&f, &d);
	assert_string_equal(d.code, "not_resident");
	f.out = 1; /* anyone may leave */
	gates_decide(&f, &d);
	assert_true(d.allow);

	/* A typed document of someone registered who does not live here:
	 * not_resident going in, logged going out, never their colour. */
	f = ok;
	f.anonymous = 1;
	f.resident = 0;
	f.colour = NULL;
	gates_decide(&f, &d);
	assert_string_equal(d.code, "not_resident");
	assert_false(d.allow);
	assert_null(strstr(d.reason, "Green"));
	f.out = 1;
	gates_decide(&f, &d);
	assert_true(d.allow);
	assert_string_equal(d.reason, "Leaving: logged");
	f.out = 0;
	f.has_temp = 1;
	f.temp = 385;
	gates_decide(&f, &d);
	assert_false(d.allow);
	assert_true(d.fever);
	assert_non_null(strstr(d.reason, "fever"));

	f = ok;
	f.kind = "courier";
	f.colour = "red";
	gates_decide(&f, &d);
	assert_string_equal(d.code, "courier"); /* kind before colour */
	f.ident = GATE_ID_NONE;
	f.colour = NULL;
	gates_decide(&f, &d);
	assert_string_equal(d.code, "courier");
	f.kind = "delivery";
	gates_decide(&f, &d);
	assert_string_equal(d.code, "delivery");
	f.kind = "visitor";
	gates_decide(&f, &d);
	assert_string_equal(d.code, "visitor");
	assert_false(d.allow);

	f = ok;
	f.colour = "yellow";
	f.colour_reason = "under observation after travel";
	gates_decide(&f, &d);
	assert_string_equal(d.code, "yellow");
	assert_false(d.allow);
	f.colour = "red";
	gates_decide(&f, &d);
	assert_string_equal(d.code, "red");

	/* The threshold: 37.3 is a fever, 37.2 is not. */
	f = ok;
	f.temp = 373;
	gates_decide(&f, &d);
	assert_string_equal(d.code, "fever");
	assert_true(d.fever);
	assert_false(d.allow);
	f.temp = 372;
	gates_decide(&f, &d);
	assert_true(d.allow);
	/* A fever found while refusing for something else is said too. */
	f = ok;
	f.temp = 390;
	f.revoked = 1;
	gates_decide(&f, &d);
	assert_string_equal(d.code, "revoked");
	assert_true(d.fever);
	assert_non_null(strstr(d.reason, "fever 39.0"));
	/* An unknown document says what was wrong. */
	f = ok;
	f.ident = GATE_ID_UNKNOWN;
	f.unknown_why = "check character should be 7, not 3";
	gates_decide(&f, &d);
	assert_string_equal(d.code, "unknown_person");
	assert_non_null(strstr(d.reason, "check character"));
}

static void gate_helpers(void **state)
{
	(void)state;
	char out[64];
	gates_mask_name("张三", out, sizeof out);
	assert_string_equal(out, "张*");
	gates_mask_name("王丽华", out, sizeof out);
	assert_string_equal(out, "王*华");
	gates_mask_name("欧阳建明", out, sizeof out);
	assert_string_equal(out, "欧**明");
	gates_mask_name("Li", out, sizeof out);
	assert_string_equal(out, "L*");
	gates_mask_name("", out, sizeof out);
	assert_string_equal(out, "");
	assert_int_equal(gates_temp_tenths(36.5), 365);
	assert_int_equal(gates_temp_tenths(37.25), 373); /* rounded */
	assert_int_equal(gates_temp_tenths(37), 370);
	assert_int_equal(gates_temp_tenths(3.65), 0);
	assert_int_equal(gates_temp_tenths(98.6), 0); /* Fahrenheit is not taken */
	assert_true(gates_kind_valid("courier"));
	assert_false(gates_kind_valid("alien"));
	assert_false(gates_kind_valid(NULL));
	char *svg = passes_qr_svg("Q1.abc", 4);
	assert_non_null(svg);
	assert_true(strncmp(svg, "<svg ", 5) == 0);
	assert_non_null(strstr(svg, "<rect x=\"4\" y=\"4\"")); /* a finder pattern inside the quiet zone */
	assert_null(strstr(svg, "x=\"0\" y=\"0\" width=\"1\""));
	free(svg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sign_and_verify),
		cmocka_unit_test(malformed),
		cmocka_unit_test(check_token_cache),
		cmocka_unit_test(colours),
		cmocka_unit_test(colour_reasons),
		cmocka_unit_test(observation_days),
		cmocka_unit_test(gate_decisions),
		cmocka_unit_test(gate_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
