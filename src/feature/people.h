/* Population registry (DOMAIN.md §7 and Formats): households and persons,
 * the document and phone rules, masking, and the one way every feature
 * (API, imports, screening visits, checkpoints) creates or updates a person
 * and records an arrival. */
#ifndef CORDON_PEOPLE_H
#define CORDON_PEOPLE_H

#include <stddef.h>
#include <stdint.h>

#include "../base/clock.h"
#include "../db/db.h"
#include "../http/http.h"

extern const struct route_table people_routes;

/* ---- pure rules ---- */

struct resident_id {
	char number[19];         /* 18 characters, check character upper-case */
	char birth_date[DAY_LEN]; /* from the number */
	char sex;                /* 'M' or 'F' (odd sequence: male) */
	int upgraded;            /* 1 when a 15-digit number was upgraded */
};

/* The ISO 7064 MOD 11-2 check character of the first 17 digits. */
char people_id_check_char(const char *first17);
/* Validates a resident ID number (spaces ignored, lower-case x accepted,
 * 15 digits upgraded) against `today` (YYYY-MM-DD, may be NULL): a real
 * birth date not in the future, a plausible province, the right check
 * character. 0 with *out filled, or ERR_INVALID naming `field` with what is
 * wrong ("check character should be 7, not 3"). */
int people_resident_id(const char *in, const char *today, struct resident_id *out,
		       const char *field, struct err_info *ei);
/* Normalises a mobile number (spaces, dashes, +86 removed) into out[12];
 * 0 or ERR_INVALID naming field. */
int people_phone(const char *in, char out[12], const char *field, struct err_info *ei);
/* 1 if doc_type is a known document type. */
int people_doc_type_valid(const char *doc_type);
/* Validates and normalises a document number of any type into out (cap
 * >= 33): resident IDs as above; others 3..32 letters, digits or '-', upper-
 * cased. On a resident ID, rid (may be NULL) gets the derived facts. */
int people_doc_number(const char *doc_type, const char *in, const char *today, char *out,
		      size_t cap, struct resident_id *rid, const char *field,
		      struct err_info *ei);
/* Masks for lists: "640106********1234" (resident ID), "E1*****78"
 * (others), "138****5678" (phone). */
void people_mask_doc(const char *doc_type, const char *number, char *out, size_t cap);
void people_mask_phone(const char *phone, char *out, size_t cap);

/* ---- the one way to write a person ---- */

/* What is known about a person from one source. NULL fields are unknown
 * (an update leaves them as they are). */
struct person_in {
	const char *doc_type;   /* default "resident_id" */
	const char *doc_number; /* required */
	const char *name;       /* required for a new person */
	const char *phone;
	const char *sex;        /* "M" / "F" */
	const char *birth_date;
	int64_t unit_id;        /* where they are now; 0 = keep (new: required) */
	int64_t household_id;   /* 0 = keep / none */
	int located;            /* 1 when unit_id is their real place (a compound) */
	const char *source;     /* "manual", "import", "visit", "checkpoint" */
	int64_t source_id;      /* the batch, visit ... */
};

/* Validates `in` fully (document, phone, dates, sex agreeing with the
 * resident ID), without writing. 0 or ERR_INVALID naming the field (names
 * are the API's: doc_type, doc_number, name, phone, sex, birth_date). */
int people_validate(const struct person_in *in, const char *today, struct err_info *ei);
/* Creates the person, or updates the one with the same document (matched
 * after normalising the number), recording each changed field's source in
 * person_facts and keeping household member counts and unit_households
 * right. Call people_validate first. *id gets the person; *created is 1 for
 * a new one. The caller holds the transaction. */
int people_upsert(struct dbc *c, const struct person_in *in, int64_t now, int64_t *id,
		  int *created, struct err_info *ei);

/* Records an arrival graded on its date (areas_grade_of) for a person.
 * Duplicate (person, day, origin) is not an error: *id gets the existing. */
int people_add_arrival(struct dbc *c, int64_t person_id, int64_t unit_id, const char *origin,
		       const char *arrival_date, const char *mode, const char *source,
		       int64_t source_id, int64_t now, int64_t *id, struct err_info *ei);

/* Adjusts unit_households (households, persons) by the deltas for unit_id
 * and every unit above it. */
int people_count_unit(struct dbc *c, int64_t unit_id, int64_t households, int64_t persons);

#endif
