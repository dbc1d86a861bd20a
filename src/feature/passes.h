/* Compound passes (DOMAIN.md §4, Rules: pass colour): Ed25519-signed QR
 * tokens naming a person and a compound, keys that rotate with the old key
 * still verifying until its passes expire, revocation, and the colour of a
 * person computed from the records at scan time. */
#ifndef CORDON_PASSES_H
#define CORDON_PASSES_H

#include <stddef.h>
#include <stdint.h>

#include "../base/clock.h"
#include "../db/db.h"
#include "../http/http.h"

extern const struct route_table passes_routes;

/* What a pass token says. The colour is never in it: it is computed at
 * every scan from the records of that day. */
struct pass_claims {
	int64_t pass_id;
	int64_t person_id;
	int64_t unit_id;    /* the compound */
	int64_t issued_at;  /* Unix seconds */
	int64_t expires_at;
	char kid[17];       /* the signing key's id */
};

#define PASS_TOKEN_MAX 256

/* Encodes and signs claims with the Ed25519 secret key sk (64 bytes):
 * base64url(payload) "." base64url(signature). 0, or -1 if out is small. */
int passes_token_sign(const struct pass_claims *c, const unsigned char sk[64], char *out,
		      size_t cap);
/* Parses a token without checking its signature: fills c (kid included).
 * 0, or ERR_INVALID (ei names "token") for anything malformed. */
int passes_token_parse(const char *token, struct pass_claims *c, struct err_info *ei);
/* 1 when token's signature verifies with the public key pk (32 bytes). */
int passes_token_verify(const char *token, const unsigned char pk[32]);

/* The facts the colour rules read: flags 0 or 1, and the days and readings
 * the reason names. */
struct colour_facts {
	int case_or_suspect;   /* a suspected, confirmed or asymptomatic case (cases.c) */
	int fever;             /* a fever recorded and not closed by a medic (fevers.c) */
	int close_contact_obs; /* a close contact until its observation ends (contacts.c) */
	int travel_obs;        /* under observation after travel: through arrival day + 14 */
	int general_contact;   /* a general contact until its observation ends (contacts.c) */
	int temp_missed;       /* under observation and no temperature check today */
	int marked_today;      /* a normal temperature recorded today (any person) */
	int isolated;          /* an active isolation order (any reason): under observation */
	int fever_closed;      /* a fever was followed up and closed (none open) */
	int fever_tenths;      /* the open fever's reading (tenths), when fever */
	char fever_day[DAY_LEN]; /* its local day, "" when unknown */
	char obs_end[DAY_LEN]; /* the last graded arrival's observation end day, "" none */
};

/* "red", "yellow" or "green" by DOMAIN.md's rules, and in reason (cap
 * bytes) the fact that decided it in words a gate guard understands: a
 * green after an observation or a closed fever says so, never "no record". */
const char *passes_colour(const struct colour_facts *f, char *reason, size_t cap);
/* Medical observation after an arrival (DOMAIN.md Rules): the end day is
 * arrival day + obs_days and the person is under observation through it.
 * Fills end (when not NULL) and returns 1 when today is within, 0 after,
 * -1 for a bad day. */
int passes_observation(const char *arrival_day, int obs_days, const char *today,
		       char end[DAY_LEN]);
/* Reads today's facts about a person from the records (the latest graded
 * arrival, open and closed fevers, temperature marks) into f. today is the
 * local day; obs_days the observation length (14). 0 or an error. */
int passes_facts(struct dbc *c, int64_t person_id, const char *today, int obs_days,
		 struct colour_facts *f);

/* The key file that seals the signing keys at rest (see passes.c): read, or
 * made (32 random bytes, 0600) when missing. Call once at start-up, before
 * serving. 0, or ERR_INVALID with the reason (unreadable, readable by
 * others, not a key file). */
int passes_key_file(const char *path, struct err_info *ei);
/* The key file in use, or NULL when none was set (keys then stored plain). */
const char *passes_key_path(void);
/* A secret key in its stored form into out (cap >= 256): sealed with the key
 * file, or base64 when none is set. 0 or -1. */
int passes_seal_secret(const unsigned char sk[64], char *out, size_t cap);
/* Seals every signing key still stored plain (from before the key file);
 * *sealed counts them. 0 or an error. */
int passes_seal_keys(struct dbc *c, int *sealed);

#endif
