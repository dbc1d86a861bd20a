/* Compound passes and the colour of a person; see passes.h. A token is
 * base64url(payload) "." base64url(Ed25519 signature of the payload), the
 * payload "C1|kid|pass|person|unit|issued|expires": short enough for a QR
 * code a phone camera reads at a gate. */
#include "passes.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/clock.h"

#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

int passes_token_sign(const struct pass_claims *c, const unsigned char sk[64], char *out,
		      size_t cap)
{
	char payload[160];
	int pl = snprintf(payload, sizeof payload, "C1|%s|%lld|%lld|%lld|%lld|%lld", c->kid,
			  (long long)c->pass_id, (long long)c->person_id, (long long)c->unit_id,
			  (long long)c->issued_at, (long long)c->expires_at);
	if (pl < 0 || (size_t)pl >= sizeof payload)
		return -1;
	unsigned char sig[crypto_sign_BYTES];
	crypto_sign_detached(sig, NULL, (const unsigned char *)payload, (size_t)pl, sk);
	size_t need = sodium_base64_ENCODED_LEN((size_t)pl, B64) +
		      sodium_base64_ENCODED_LEN(sizeof sig, B64);
	if (need + 1 > cap)
		return -1;
	sodium_bin2base64(out, cap, (const unsigned char *)payload, (size_t)pl, B64);
	size_t n = strlen(out);
	out[n++] = '.';
	sodium_bin2base64(out + n, cap - n, sig, sizeof sig, B64);
	return 0;
}

/* Splits a token into its decoded payload (NUL-terminated) and signature. */
static int split(const char *token, char *payload, size_t pcap, size_t *plen,
		 unsigned char sig[64])
{
	const char *dot = strchr(token, '.');
	if (!dot || strlen(token) > PASS_TOKEN_MAX)
		return -1;
	size_t bl = 0, sl = 0;
	if (sodium_base642bin((unsigned char *)payload, pcap - 1, token, (size_t)(dot - token),
			      NULL, &bl, NULL, B64) != 0)
		return -1;
	payload[bl] = 0;
	const char *end = NULL;
	if (sodium_base642bin(sig, 64, dot + 1, strlen(dot + 1), NULL, &sl, &end, B64) != 0 ||
	    sl != 64 || (end && *end))
		return -1;
	*plen = bl;
	return 0;
}

int passes_token_parse(const char *token, struct pass_claims *c, struct err_info *ei)
{
	char payload[200];
	size_t pl;
	unsigned char sig[64];
	if (!token || split(token, payload, sizeof payload, &pl, sig) != 0)
		return err_set(ei, ERR_INVALID, "token", "this is not a Cordon pass");
	if (strlen(payload) != pl)
		return err_set(ei, ERR_INVALID, "token", "this is not a Cordon pass");
	char kid[17];
	long long a, b, d, e, f;
	int used = 0;
	if (sscanf(payload, "C1|%16[^|]|%lld|%lld|%lld|%lld|%lld%n", kid, &a, &b, &d, &e, &f,
		   &used) != 6 ||
	    (size_t)used != pl || a <= 0 || b <= 0 || d <= 0)
		return err_set(ei, ERR_INVALID, "token", "this is not a Cordon pass");
	memset(c, 0, sizeof *c);
	memcpy(c->kid, kid, sizeof c->kid);
	c->pass_id = a;
	c->person_id = b;
	c->unit_id = d;
	c->issued_at = e;
	c->expires_at = f;
	return 0;
}

int passes_token_verify(const char *token, const unsigned char pk[32])
{
	char payload[200];
	size_t pl;
	unsigned char sig[64];
	if (!token || split(token, payload, sizeof payload, &pl, sig) != 0)
		return 0;
	return crypto_sign_verify_detached(sig, (const unsigned char *)payload, pl, pk) == 0;
}

const char *passes_colour(const struct colour_facts *f, char *reason, size_t cap)
{
	/* Red: a case, a suspect, a fever, a close contact under observation. */
	if (f->case_or_suspect) {
		snprintf(reason, cap, "confirmed or suspected case");
		return "red";
	}
	if (f->fever) {
		snprintf(reason, cap, "fever recorded");
		return "red";
	}
	if (f->close_contact_obs) {
		snprintf(reason, cap, "close contact under medical observation");
		return "red";
	}
	/* Yellow: under observation after travel, a general contact, or under
	 * observation with a temperature check missed. */
	if (f->travel_obs) {
		snprintf(reason, cap, "%s", f->temp_missed
						    ? "under observation after travel; temperature check missed"
						    : "under observation after travel");
		return "yellow";
	}
	if (f->general_contact) {
		snprintf(reason, cap, "general contact of a case");
		return "yellow";
	}
	snprintf(reason, cap, "no record against this person");
	return "green";
}

int passes_facts(struct dbc *c, int64_t person_id, const char *today, int obs_days,
		 struct colour_facts *f)
{
	memset(f, 0, sizeof *f);
	/* An arrival graded for centralized or home observation is under
	 * observation until arrival day + obs_days. */
	char since[DAY_LEN];
	if (day_add(today, -obs_days, since))
		return ERR_INVALID;
	int rc = db_one_int(c, NULL,
			    "SELECT 1 FROM arrivals WHERE person_id = $1 AND arrival_date > $2"
			    " AND arrival_date <= $3 AND handling IN ('centralized', 'home')",
			    "itt", person_id, since, today);
	if (rc < 0)
		return rc;
	f->travel_obs = rc == 1;
	rc = db_one_int(c, NULL,
			"SELECT 1 FROM fevers WHERE person_id = $1 AND cleared_at IS NULL", "i",
			person_id);
	if (rc < 0)
		return rc;
	f->fever = rc == 1;
	if (f->travel_obs) {
		rc = db_one_int(c, NULL,
				"SELECT 1 FROM temperature_marks WHERE person_id = $1 AND day = $2",
				"it", person_id, today);
		if (rc < 0)
			return rc;
		f->temp_missed = rc == 0;
	}
	return 0;
}

/* placeholder routes: replaced by the real ones */
static int todo(struct req *r)
{
	return err_set(&r->err, ERR_NOT_FOUND, "", "not yet");
}
static const struct route routes[] = {{"GET", "/api/v1/_passes", todo, P_UNITS_READ, 0, 0, ""}};
ROUTE_TABLE(passes_routes, routes);
