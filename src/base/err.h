/* Error codes shared by every layer: one list with stable numbers, a string
 * for each, and the detail (field, message) a caller passes down so the
 * place that finds the problem can name it. */
#ifndef CORDON_ERR_H
#define CORDON_ERR_H

#include <stdarg.h>

enum err {
	ERR_OK = 0,
	ERR_INVALID = -1,   /* bad input: 400, names the field */
	ERR_AUTH = -2,      /* not signed in: 401 */
	ERR_FORBIDDEN = -3, /* signed in but not allowed: 403 */
	ERR_NOT_FOUND = -4, /* 404 */
	ERR_CONFLICT = -5,  /* duplicate or stale: 409 */
	ERR_TOO_LARGE = -6, /* 413 */
	ERR_RULE = -7,      /* a domain rule refuses it: 422 */
	ERR_INTERNAL = -8,  /* 500 */
	ERR_NOMEM = -9,     /* 500 */
	ERR_DB = -10,       /* 500 */
	ERR_BUSY = -11,     /* 503 */
	ERR_METHOD = -12,   /* 405 */
	ERR_THROTTLED = -13 /* 429 */
};

struct err_info {
	char field[64];
	char message[256];    /* English */
	char message_zh[384]; /* the same in Chinese, "" when the catalog has none */
};

/* Message catalogs: every message a person can see is shown in their
 * language. Code writes English formats; a catalog maps each English format
 * to its Chinese one, with the same conversions in the same order (checked
 * when loaded). Catalogs live in src/i18n/, one per source file with
 * messages; tools/msgcheck.mjs (make check) finds every err_set format
 * without an entry. */
struct err_msg {
	const char *en; /* the exact format string code passes */
	const char *zh;
};
struct err_catalog {
	const char *name; /* the source file it translates, for reports */
	const struct err_msg *msgs;
	unsigned count;
};
#define ERR_CATALOG(var, file, arr) \
	const struct err_catalog var = {file, arr, sizeof(arr) / sizeof((arr)[0])}

/* Loads the catalogs (a NULL-terminated array) into the lookup the error
 * paths use; call once at start-up, before any thread. Entries whose
 * conversions differ are left out; returns how many there were (each is
 * described on stderr when `report` is set). 0 when all load. */
int err_catalog_load(const struct err_catalog *const *cats, int report);
/* The Chinese format for an English one, or NULL when the catalog has
 * none. lang "en" (or NULL) always gives NULL. */
const char *err_tr(const char *en_fmt, const char *lang);
/* The format to use for lang: the translation, or en_fmt itself. */
const char *err_fmt(const char *en_fmt, const char *lang);
/* 1 when two formats take the same arguments (the same conversions in the
 * same order, flags and widths aside; %% ignored). */
int err_formats_match(const char *a, const char *b);

/* Stable machine name of an error ("invalid", "not_found" ...). */
const char *err_str(int code);
/* The HTTP status an error maps to. */
int err_http_status(int code);
/* Fills ei (if not NULL) and returns code, so callers can write
 * `return err_set(ei, ERR_INVALID, "name", "is required");`. */
int err_set(struct err_info *ei, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void err_clear(struct err_info *ei);

#endif
