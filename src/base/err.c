/* Error names and the one mapping from error codes to HTTP statuses. */
#include "err.h"

#include <stdio.h>
#include <string.h>

const char *err_str(int code)
{
	switch (code) {
	case ERR_OK: return "ok";
	case ERR_INVALID: return "invalid";
	case ERR_AUTH: return "unauthenticated";
	case ERR_FORBIDDEN: return "forbidden";
	case ERR_NOT_FOUND: return "not_found";
	case ERR_CONFLICT: return "conflict";
	case ERR_TOO_LARGE: return "too_large";
	case ERR_RULE: return "rule";
	case ERR_NOMEM: return "no_memory";
	case ERR_DB: return "database";
	case ERR_BUSY: return "busy";
	case ERR_METHOD: return "method_not_allowed";
	case ERR_THROTTLED: return "throttled";
	default: return "internal";
	}
}

int err_http_status(int code)
{
	switch (code) {
	case ERR_OK: return 200;
	case ERR_INVALID: return 400;
	case ERR_AUTH: return 401;
	case ERR_FORBIDDEN: return 403;
	case ERR_NOT_FOUND: return 404;
	case ERR_METHOD: return 405;
	case ERR_CONFLICT: return 409;
	case ERR_TOO_LARGE: return 413;
	case ERR_RULE: return 422;
	case ERR_THROTTLED: return 429;
	case ERR_BUSY: return 503;
	default: return 500;
	}
}

int err_set(struct err_info *ei, int code, const char *field, const char *fmt, ...)
{
	if (ei) {
		snprintf(ei->field, sizeof ei->field, "%s", field ? field : "");
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(ei->message, sizeof ei->message, fmt, ap);
		va_end(ap);
	}
	return code;
}

void err_clear(struct err_info *ei)
{
	if (ei)
		memset(ei, 0, sizeof *ei);
}
