/* Imports of big-data lists (DOMAIN.md §7, issue 4): travel and telecom
 * lists of persons read from CSV (UTF-8 or GB18030), every row validated,
 * good rows stored through people_upsert, bad rows reported by line number
 * and reason, and each import kept as a batch. The header mapping and the
 * row parsing are pure functions, unit-tested; imports_persons_csv is the
 * one import path the API and the CLI share. */
#ifndef CORDON_IMPORTS_H
#define CORDON_IMPORTS_H

#include <stddef.h>
#include <stdint.h>

#include "../base/clock.h"
#include "../http/http.h"
#include "people.h"

extern const struct route_table imports_routes;

/* ---- pure: the header and the rows ---- */

/* The fields a column can hold. */
enum imp_col {
	IMP_NAME,
	IMP_DOC_TYPE,
	IMP_DOC_NUMBER,
	IMP_PHONE,
	IMP_SEX,
	IMP_BIRTH_DATE,
	IMP_ORIGIN,
	IMP_ARRIVAL_DATE,
	IMP_MODE,
	IMP_ADDRESS,
	IMP_COMPOUND,
	IMP_NCOLS
};

/* The API name of a field ("doc_number"). */
const char *imports_col_name(enum imp_col k);
/* The field a header text names (Chinese or English, ASCII case and
 * surrounding spaces ignored: "身份证号", "ID_Number"), or -1. */
int imports_header_field(const char *text);
/* Maps a header row: col[k] gets the index of the column holding field k,
 * or -1 (a field named twice: the first column wins). Returns the number of
 * fields found; a header is recognised when it names the document number
 * (col[IMP_DOC_NUMBER] >= 0). */
int imports_map_header(char *const *fields, size_t n, int col[IMP_NCOLS]);
/* The message of the 400 for a file without a recognisable header: the
 * columns expected, in both languages. */
const char *imports_expected_columns(void);

/* Normalises a date written 2020-02-03, 2020/2/3, 2020.2.3, 20200203 or
 * 2020年2月3日 into out ("2020-02-03"). 0, or -1 when it is not a real date. */
int imports_date(const char *in, char out[DAY_LEN]);
/* The document type a cell names (resident_id, 居民身份证, 身份证, 护照 ...),
 * or NULL. An empty cell is resident_id. */
const char *imports_doc_type(const char *in);
/* "M" or "F" from M/F/男/女/male/female (any case), NULL otherwise. */
const char *imports_sex(const char *in);
/* car/train/plane/other from those words or 汽车, 自驾, 火车, 高铁, 飞机,
 * 其他 ...; an empty cell is "other"; NULL when not recognised. */
const char *imports_mode(const char *in);

/* One data row, parsed and validated. Pointers refer to the row's fields,
 * to static strings or to the buffers inside the struct. */
struct import_row {
	struct person_in p; /* doc_type, doc_number, name, phone, sex, birth_date */
	const char *origin;       /* NULL when the row gives no arrival */
	const char *arrival_date; /* with origin */
	const char *mode;
	const char *address; /* NULL: none */
	const char *compound; /* NULL: none */
	char birth[DAY_LEN], arrival[DAY_LEN];
	char addr[400]; /* the address with line breaks and tabs made spaces */
	struct person_norm norm; /* the number and phone as stored */
};

/* Parses fields f[0..n) of a data row as col maps them and validates all of
 * it (people_validate, dates, mode, origin with arrival date, address)
 * against today (YYYY-MM-DD). Returns 1 for a row with only empty cells
 * (skipped, not an error), 0 with *out filled, or ERR_INVALID with the
 * API field name and what is wrong in ei. Does not look anything up. */
int imports_parse_row(const int col[IMP_NCOLS], char *const *f, size_t n, const char *today,
		      struct import_row *out, struct err_info *ei);

/* ---- the import ---- */

struct imports_opts {
	int64_t scope_unit_id; /* the importer's scope: compounds, unlocated persons */
	int64_t user_id;       /* 0: the command line */
	const char *source;    /* the list's source, e.g. "telecom" (required) */
	const char *filename;  /* may be NULL */
	size_t max_rejects;    /* at most this many {"line","reason"} in result (0: 10,000) */
	/* Called every 50,000 data rows with the rows read so far (may be NULL). */
	void (*progress)(void *arg, int64_t rows);
	void *progress_arg;
};

struct imports_result {
	int64_t batch_id;
	int64_t rows; /* data rows read (blank rows not counted) */
	int64_t created, updated, rejected;
	const char *encoding; /* "utf-8" or "gb18030" (static) */
	json_t *rejects;      /* [{"line","reason"}], the first max_rejects; owned by the caller */
	/* Rows whose person was not changed, or not wholly, what they said
	 * handed to the person's unit as a discrepancy (held: registered
	 * outside the scope, nothing written; counted neither created nor
	 * updated), and [{"line","kind","discrepancy_id","held"}] of the first
	 * max_rejects of them; owned by the caller. */
	int64_t discrepancies, held;
	json_t *to_confirm;
};

/* Imports persons from CSV text (data, len) on connection c, inside the
 * caller's transaction: creates the batch, stores every good row, records
 * every bad one (in res->rejects and the batch's rejects_csv), and writes
 * the batch's counts. Returns 0 (rejects included), ERR_INVALID with ei
 * filled when the text is not CSV or has no recognisable header (nothing
 * written that the caller should keep), or a storage error. res->rejects
 * and res->to_confirm are set whenever 0 is returned; the caller frees them. */
int imports_persons_csv(struct dbc *c, const struct imports_opts *o, const char *data,
			size_t len, struct imports_result *res, struct err_info *ei);

#endif
