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
	char message[256];
};

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
