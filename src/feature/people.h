/* Population registry (DOMAIN.md §7 and Formats): households and persons,
 * the document and phone rules, masking, and the one way every feature
 * (API, imports, screening visits, checkpoints) creates or updates a person
 * and records an arrival. */
#ifndef CORDON_PEOPLE_H
#define CORDON_PEOPLE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../base/clock.h"
#include "../db/db.h"
#include "../http/http.h"

extern const struct route_table people_routes;  /* persons.c */
extern const struct route_table arrivals_routes; /* arrivals.c */

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
/* The other way of writing a household address search (DOMAIN: addresses
 * are stored "1号楼1单元101"; people type "1-1-101"): "3-2-301" gives
 * "3号楼2单元301", "3-2" "3号楼2单元", and "3号楼2单元301(室)" gives
 * "3-2-301". 1 with the form in out, 0 when q is neither. */
int people_address_alt(const char *q, char *out, size_t cap);
/* The form of an other document's number worth keeping beside its key
 * (DOMAIN.md: kept as typed): `in` without surrounding blanks into out,
 * or "" when it is a resident ID or the same as key. */
void people_doc_typed(const char *doc_type, const char *in, const char *key, char *out,
		      size_t cap);
/* What a search text is, for GET /persons?q=: a whole resident ID
 * (normalised: 15 digits upgraded, x upper-cased), a phone (normalised),
 * the last 4 characters of a document, another whole document number
 * (upper-cased), or a name (trimmed). The normalised text goes into out. */
enum {
	PEOPLE_SEARCH_NAME,
	PEOPLE_SEARCH_RESIDENT_ID,
	PEOPLE_SEARCH_PHONE,
	PEOPLE_SEARCH_LAST4,
	PEOPLE_SEARCH_DOC
};
int people_search_kind(const char *q, char *out, size_t cap);
/* How a search by a Chinese name prefix reads the persons (list_persons):
 * - BY_INDEX: the name index alone, whose entries (name, unit, id) tell
 *   scope and page without reading a row; not with the household or
 *   located filters, which it cannot see;
 * - ROWS: the matching rows by the name index, sorted by id (few matches);
 * - WALK: every person in id order until a page is found;
 * - SCOPE: the scope's persons by the unit index.
 * many: names in the index's range, counted up to NAME_COUNT_CAP;
 * in_scope, all: persons in the caller's scope and in the district (0 when
 * not counted); page: rows wanted; filtered: a household or located filter;
 * entry: what reading one name index entry costs in rows walked
 * (people_name_entry_cost).
 * forced: a plan named by CORDON_NAME_SEARCH ("index", "rows", "walk",
 * "scope"; NULL, "" or "auto": choose), a diagnostic that lets the tests
 * read every way on a small database; BY_INDEX with a filter is chosen
 * over, not forced. */
enum { NAME_BY_INDEX, NAME_ROWS, NAME_WALK, NAME_SCOPE };
#define NAME_COUNT_CAP 20000
int people_name_plan(int64_t many, double in_scope, double all, int64_t page, int filtered,
		     double entry, const char *forced);
/* How far names need counting for people_name_plan: the plan for any
 * count past the returned one (at most NAME_COUNT_CAP) is the plan for it,
 * so counting up to it chooses what counting up to NAME_COUNT_CAP would.
 * The count costs about 0.4 us an entry on PostgreSQL (8 ms for the cap),
 * 20 times what it costs on SQLite. */
int64_t people_name_count_cap(double in_scope, double all, int64_t page, int filtered,
			      double entry, const char *forced);
/* An index entry's cost for people_name_plan on the backend ("sqlite",
 * "postgresql"): SQLite's name index holds the id (the rowid) and answers
 * alone, about three walked rows; PostgreSQL's (name, unit_id) does not, so
 * each entry visits its row on a page of its own (on the demo 3.2 us an
 * entry against 0.3 us a walked row): ten. */
double people_name_entry_cost(const char *backend);
/* Masks for lists: "640106********1234" (resident ID), "E1*****78"
 * (others), "138****5678" (phone). */
void people_mask_doc(const char *doc_type, const char *number, char *out, size_t cap);
void people_mask_phone(const char *phone, char *out, size_t cap);

/* ---- the one look-up by document ---- */

/* A person found by document: what a writer may compare with, and whether
 * the caller may change them. */
struct person_found {
	int64_t id;           /* the record writes go to (a merged one followed) */
	int64_t unit_id;      /* where they are */
	int64_t household_id; /* 0: none */
	int located;
	int in_scope;         /* their unit lies in the scope given (always 1 without one) */
	char name[200];
	char phone[16];       /* "" when none */
	int implied;          /* persons.facts_implied of the record */
};
/* The one look-up every writer that meets a person by document uses
 * (people_upsert, visits, checkpoint screenings, gate scans, imports, POST
 * /persons): the person holding doc_type/num (num already normalised by
 * people_doc_number), followed to the record a merge kept, with in_scope
 * saying whether their unit lies in scope_unit_id's subtree (0: no scope,
 * in_scope 1). 1 found (*out), 0 nobody, <0 error. */
int people_find(struct dbc *c, const char *doc_type, const char *num, int64_t scope_unit_id,
		struct person_found *out);

/* What a field write (a visit, a checkpoint screening, a gate scan, a row
 * of an imported list) saw about a person, for person_in.seen: kept as a discrepancy for the
 * person's own unit when the person met lies outside the caller's scope or
 * the registry says otherwise (another name, another household). */
struct person_seen {
	/* in */
	int64_t seen_by, device_id;   /* who saw: a user, or a device */
	int64_t seen_unit_id;         /* where: the household's compound, the checkpoint's unit */
	int64_t at;
	int64_t tenths;               /* a temperature taken (0: none) */
	int fever;                    /* it was a fever */
	const char *origin_code, *arrival_date, *mode; /* an arrival seen (NULL: none) */
	int trip;                     /* the place given is where they are going (a
				       * checkpoint's destination), not where they live:
				       * a located person is neither moved nor flagged */
	/* out */
	int held;                     /* the person met lies outside the scope: nothing
				       * of theirs was changed or may be shown */
	int64_t discrepancy_id;       /* the discrepancy recorded (0: none) */
	const char *kind;             /* its kind: out_of_scope, name, household */
};

/* ---- the one way to write a person ---- */

/* A person's document number and phone as stored, worked out once by
 * people_validate_into. */
struct person_norm {
	char doc_number[40];    /* the match key */
	char doc_typed[160];    /* people_doc_typed: "" when the key says it all */
	char phone[12];         /* "" when none */
	struct resident_id rid; /* resident IDs: what the number says */
};

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
	int64_t scope_unit_id;  /* non-zero: a person already registered outside this
				 * unit's subtree is left as it is (ERR_FORBIDDEN naming
				 * doc_number, or with `seen` a discrepancy); 0: no check */
	struct person_seen *seen; /* non-NULL: a field write. A person met outside the
				   * scope is not changed (seen->held) and what was seen
				   * becomes a discrepancy for their unit; in scope,
				   * another name or (for a located person) another
				   * household or compound is not applied but recorded
				   * as a discrepancy too; the rest is applied */
	struct people_tally *tally; /* non-NULL: unit and household counts are added up
				     * there and written by people_tally_flush (bulk
				     * imports); NULL: written at once */
	const struct person_norm *norm; /* non-NULL: people_validate_into's result for
					 * these fields (not worked out again) */
	const struct person_found *found; /* non-NULL: people_find's answer for this
					   * document with this scope, read since the last
					   * write to the person (bulk imports read a list's
					   * persons at once): not inserted nor read again */
};

/* Validates `in` fully (document, phone, dates, sex agreeing with the
 * resident ID), without writing. 0 or ERR_INVALID naming the field (names
 * are the API's: doc_type, doc_number, name, phone, sex, birth_date). */
int people_validate(const struct person_in *in, const char *today, struct err_info *ei);
/* people_validate that also gives the stored forms in *out (for person_in.norm). */
int people_validate_into(const struct person_in *in, const char *today, struct person_norm *out,
			 struct err_info *ei);
/* Creates the person, or updates the one with the same document (matched
 * after normalising the number), recording each changed field's source in
 * person_facts (a new person's name, phone and household are implied by its
 * row: persons.facts_implied) and keeping household member counts and
 * unit_households right. Call people_validate first. *id gets the person; *created is 1 for
 * a new one. The caller holds the transaction. */
int people_upsert(struct dbc *c, const struct person_in *in, int64_t now, int64_t *id,
		  int *created, struct err_info *ei);

/* Records an arrival graded on its date (areas_grade_of) for a person.
 * Duplicate (person, day, origin) is not an error: *id gets the existing. */
int people_add_arrival(struct dbc *c, int64_t person_id, int64_t unit_id, const char *origin,
		       const char *arrival_date, const char *mode, const char *source,
		       int64_t source_id, int64_t now, int64_t *id, struct err_info *ei);
/* An origin already resolved (areas_resolve) and graded for the arrival
 * date (areas_grade_of): what bulk imports cache. */
struct arrival_grade {
	const char *code, *name; /* the division */
	const char *grade, *handling;
	int64_t rule_id; /* 0: defaulted */
};
/* people_add_arrival for an origin resolved and graded by the caller. */
int people_add_arrival_graded(struct dbc *c, int64_t person_id, int64_t unit_id,
			      const struct arrival_grade *g, const char *arrival_date,
			      const char *mode, const char *source, int64_t source_id, int64_t now,
			      int64_t *id, struct err_info *ei);
/* people_add_arrival_graded whose new arrival is counted (arrival_counts)
 * by tally t's flush instead of at once (t NULL: at once): a bulk writer
 * then writes one count per unit, day and grade. Counts only add up, so a
 * person moved later in the same transaction (people_count_arrivals_of)
 * ends with the same counts. */
int people_add_arrival_tallied(struct dbc *c, struct people_tally *t, int64_t person_id,
			       int64_t unit_id, const struct arrival_grade *g,
			       const char *arrival_date, const char *mode, const char *source,
			       int64_t source_id, int64_t now, int64_t *id, struct err_info *ei);

/* Bulk loading (imports on PostgreSQL, db_copy): the rows people_upsert and
 * people_add_arrival_graded would insert, for a caller that knows nobody
 * holds the document (and so the person has no arrival yet). people_copy_new
 * adds the new person `in` (validated, in->norm set, a name, in->unit_id and
 * in->tally given) under id to cp (columns PEOPLE_COPY_COLS) and adds their
 * counts to the tally; people_copy_arrival adds the arrival to cp (columns
 * PEOPLE_COPY_ARRIVAL_COLS), and to the tally t for arrival_counts, after the
 * same checks as
 * people_add_arrival_graded (ERR_INVALID naming the field). */
#define PEOPLE_COPY_COLS                                                                   \
	"persons(id, unit_id, household_id, located, doc_type, doc_number, doc_last4, name,"  \
	" sex, birth_date, phone, source, source_id, created_at, updated_at, facts_implied,"   \
	" doc_typed)"
#define PEOPLE_COPY_ARRIVAL_COLS                                                           \
	"arrivals(person_id, unit_id, origin_code, origin_name, arrival_date, mode, grade,"  \
	" handling, risk_area_id, source, source_id, created_at)"
int people_copy_new(struct db_copy *cp, const struct person_in *in, int64_t id, int64_t now);
int people_copy_arrival(struct db_copy *cp, struct people_tally *t, int64_t person_id,
			int64_t unit_id, const struct arrival_grade *g, const char *arrival_date,
			const char *mode, const char *source, int64_t source_id, int64_t now,
			struct err_info *ei);

/* Arrivals gathered and inserted in one statement (PostgreSQL: imports'
 * rows that meet someone registered), as people_add_arrival_tallied would
 * insert them one by one in the order added: the same checks at add
 * (ERR_INVALID naming the field), an arrival already on record (person,
 * day, origin) left as it is, each new one counted by tally t. The caller
 * sends before anything else reads or changes the arrivals of a person it
 * added. send empties the set; 0 or <0. */
struct people_arrivals;
struct people_arrivals *people_arrivals_new(void);
void people_arrivals_free(struct people_arrivals *a);
int people_arrivals_add(struct people_arrivals *a, int64_t person_id, int64_t unit_id,
			const struct arrival_grade *g, const char *arrival_date, const char *mode,
			struct err_info *ei);
int people_arrivals_send(struct dbc *c, struct people_arrivals *a, struct people_tally *t,
			 const char *source, int64_t source_id, int64_t now);

/* Adjusts unit_households (households, persons) by the deltas for unit_id
 * and every unit above it. */
int people_count_unit(struct dbc *c, int64_t unit_id, int64_t households, int64_t persons);

/* arrival_counts (arrivals per unit, day and grade, for every unit above
 * the arrival's unit) is kept by every write of arrivals in its
 * transaction; people_add_arrival* keep it themselves. A writer that changes
 * arrivals in bulk calls people_count_arrivals_of(c, person, -1) before and
 * (c, person, +1) after changing a person's arrivals, or
 * people_arrival_counts_rebuild; areas.c moves them between grades when it
 * regrades. Both return 0 or <0. */
int people_count_arrivals_of(struct dbc *c, int64_t person_id, int sign);
/* Recounts arrival_counts from the arrivals (bulk loads such as the demo). */
int people_arrival_counts_rebuild(struct dbc *c);

/* Runs an INSERT written without RETURNING (sql: at most 4000 bytes) and
 * reads the new row's id: on PostgreSQL through RETURNING id; on SQLite,
 * whose RETURNING goes through a temporary table that costs about half an
 * insert, through db_last_insert_id. Evaluates to 1 with *id set when a
 * row was inserted, 0 when none was (ON CONFLICT DO NOTHING), <0 on error.
 * (A db_insert_id in db.h would be the better home.) */
#define PEOPLE_INSERT_ID(c, id, sql, types, ...)                                          \
	(strcmp(db_backend(c), "sqlite") == 0                                              \
		 ? people_insert_id_sqlite((c), db_run((c), (sql), types, __VA_ARGS__), (id))  \
		 : people_insert_id_step(db_query((c), people_sql_returning((char[4096]){0}, (sql)), \
						  types, __VA_ARGS__),                              \
					 (id)))
int people_insert_id_sqlite(struct dbc *c, int64_t changed, int64_t *id);
int people_insert_id_step(struct dbq *q, int64_t *id);
/* Writes sql + " RETURNING id" into buf (4096 bytes) and returns buf. */
const char *people_sql_returning(char *buf, const char *sql);

/* Deferred counters for bulk writes: person_in.tally collects the
 * unit_households and household member changes of many upserts, and
 * people_tally_flush writes them (the same end state as writing each at
 * once) and empties the tally. people_tally_add defers a
 * people_count_unit. new returns NULL when out of memory; free takes NULL. */
struct people_tally;
struct people_tally *people_tally_new(void);
int people_tally_add(struct people_tally *t, int64_t unit_id, int64_t households,
		     int64_t persons);
int people_tally_flush(struct dbc *c, struct people_tally *t);
/* people_tally_flush in a few statements over all entries at once on
 * PostgreSQL (one round trip per 10,000 households instead of one each);
 * the same end state. Elsewhere people_tally_flush. */
int people_tally_flush_bulk(struct dbc *c, struct people_tally *t);
void people_tally_free(struct people_tally *t);

#endif
