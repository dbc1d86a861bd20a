/* Compound gates (DOMAIN.md §4, 小区封闭式管理): gates of a compound, the
 * scan that admits or refuses a person at one, and the pass side the scan
 * and the demo share with passes.c — the signing keys (kept in pass_keys,
 * public keys cached per process), issuing a pass and rendering its QR code.
 * The decision is a pure function of what the handler found, so the rules
 * are unit-tested apart from the storage. */
#ifndef CORDON_GATES_H
#define CORDON_GATES_H

#include <stddef.h>
#include <stdint.h>

#include "../db/db.h"
#include "../http/http.h"
#include "passes.h"

extern const struct route_table gates_routes;

/* ---- the decision at a gate (pure) ---- */

enum gate_ident {
	GATE_ID_NONE,    /* no token and no document (a courier, a rider, a visitor) */
	GATE_ID_FORGED,  /* a token that is malformed, of an unknown key or badly signed */
	GATE_ID_UNKNOWN, /* a typed document that finds no one (or is mistyped) */
	GATE_ID_OK       /* a verified token or a document that found the person */
};

struct gate_facts {
	enum gate_ident ident;
	const char *unknown_why; /* GATE_ID_UNKNOWN: what was wrong with the document (may be NULL) */
	int expired;             /* the pass's expiry (token's or record's, the earlier) has passed */
	char expired_day[11];    /* the local day it expired, for the reason */
	int revoked;
	const char *revoked_reason; /* may be NULL */
	int resident;            /* lives in (is located in) this gate's compound */
	int anonymous;           /* a typed document of someone registered but not living
				  * here: who they are is not said (not_resident going in) */
	int other_compound;      /* the pass names another compound */
	const char *kind;        /* resident, courier, delivery, visitor */
	int out;                 /* going out: residence and kind are not checked (anyone may leave) */
	const char *colour;      /* green, yellow, red; NULL when not computed */
	const char *colour_reason;
	int has_temp;
	int64_t temp;            /* tenths of a degree */
	int64_t fever_at;        /* the fever threshold in tenths (373) */
	int sealed;              /* the compound is an open epidemic point (疫点) */
	int staff;               /* the person is on that point's work groups */
};

struct gate_decision {
	int allow;
	const char *code;  /* ok, forged, expired, revoked, not_resident, unknown_person,
			    * courier, delivery, visitor, red, yellow, fever, sealed */
	char reason[200];  /* in English words a gate guard understands */
	int fever;         /* the reading is a fever (record it when the person is known) */
};

/* Applies the checks in the contract's order: identity (signature and key),
 * expiry, revocation, residence, kind, colour, temperature. Fills d. */
void gates_decide(const struct gate_facts *f, struct gate_decision *d);
/* 1 when kind is resident, courier, delivery or visitor. */
int gates_kind_valid(const char *kind);
/* A name as a gate shows it: the first character and, for three or more,
 * the last, the rest as '*' ("张*", "欧**明"); UTF-8 aware. */
void gates_mask_name(const char *name, char *out, size_t cap);
/* °C as a JSON number (36.5) to tenths (365), rounded; 0 when outside
 * 30.0..45.0 °C (not a body temperature: measure again). */
int64_t gates_temp_tenths(double celsius);

/* ---- pass keys and passes (implemented in passes.c) ---- */

/* The public key of kid into pk: from this process's cache, else from
 * pass_keys on c (then cached). 1 found, 0 no such key, <0 error. */
int passes_public_key(struct dbc *c, const char *kid, unsigned char pk[32]);
/* Checks a token fully against the keys: parses it into *claims and
 * verifies its signature with its kid's key. 1 genuine, 0 forged or
 * malformed, <0 storage error. */
int passes_check_token(struct dbc *c, const char *token, struct pass_claims *claims);
/* Issues a pass on the write connection c (the caller's transaction): the
 * current signing key (a first one generated when there is none), a passes
 * row for person_id at compound unit_id valid through the local day `days`
 * after today. *id gets the pass, token (PASS_TOKEN_MAX+1 bytes) its token,
 * *expires_at its end. 0 or an error. */
int passes_issue(struct dbc *c, int64_t person_id, int64_t unit_id, int days, int64_t created_by,
		 int64_t now, int64_t *id, char *token, int64_t *expires_at);
/* The token of an issued pass, signed again (Ed25519 is deterministic, so
 * it is the token issued). 1 done, 0 no such pass, <0 error. */
int passes_token_of(struct dbc *c, int64_t pass_id, char *token);
/* The QR code (libqrencode, level M, 8-bit) of text as SVG: one rect per
 * dark run, a 4-module quiet zone, `px` pixels a module. Returns a malloc'd
 * NUL-terminated string (the caller frees) or NULL. */
char *passes_qr_svg(const char *text, int px);

#endif
