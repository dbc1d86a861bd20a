/* Error names and the one mapping from error codes to HTTP statuses. */
#include "err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ---------- catalogs ---------- */

/* Open addressing over the English formats, built once before any thread
 * starts and only read after: no lock. */
static const struct err_msg **tr_slot;
static size_t tr_cap;

static uint64_t tr_hash(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * UINT64_C(1099511628211);
	return h;
}

/* The next conversion of a format from *p: its type letters ("s", "lld",
 * "zu"...) into out; 0 at the end. */
static int next_conv(const char **p, char out[8])
{
	const char *s = *p;
	for (;;) {
		s = strchr(s, '%');
		if (!s) {
			*p = s;
			return 0;
		}
		s++;
		if (*s == '%') {
			s++;
			continue;
		}
		while (*s && strchr("-+ #0123456789.*'", *s)) {
			if (*s == '*') { /* a width argument counts as one */
				*p = s + 1;
				strcpy(out, "*");
				return 1;
			}
			s++;
		}
		size_t n = 0;
		while (*s && strchr("hlqjzt", *s) && n < 4)
			out[n++] = *s++;
		if (!*s) {
			*p = s;
			return 0;
		}
		out[n++] = *s++;
		out[n] = 0;
		*p = s;
		return 1;
	}
}

int err_formats_match(const char *a, const char *b)
{
	char ca[8], cb[8];
	for (;;) {
		int ha = a ? next_conv(&a, ca) : 0;
		int hb = b ? next_conv(&b, cb) : 0;
		if (ha != hb)
			return 0;
		if (!ha)
			return 1;
		if (strcmp(ca, cb) != 0)
			return 0;
	}
}

int err_catalog_load(const struct err_catalog *const *cats, int report)
{
	size_t total = 0;
	for (size_t i = 0; cats && cats[i]; i++)
		total += cats[i]->count;
	free(tr_slot);
	tr_cap = 64;
	while (tr_cap < total * 2)
		tr_cap *= 2;
	tr_slot = calloc(tr_cap, sizeof *tr_slot);
	if (!tr_slot) {
		tr_cap = 0;
		return -1;
	}
	int bad = 0;
	for (size_t i = 0; cats && cats[i]; i++)
		for (unsigned k = 0; k < cats[i]->count; k++) {
			const struct err_msg *m = &cats[i]->msgs[k];
			if (!m->en || !m->zh || !err_formats_match(m->en, m->zh)) {
				bad++;
				if (report)
					fprintf(stderr, "catalog %s: \"%s\" and its translation take"
						" different arguments\n",
						cats[i]->name, m->en ? m->en : "(null)");
				continue;
			}
			size_t h = (size_t)tr_hash(m->en) & (tr_cap - 1);
			while (tr_slot[h] && strcmp(tr_slot[h]->en, m->en) != 0)
				h = (h + 1) & (tr_cap - 1);
			tr_slot[h] = m; /* a repeated format: the later entry wins */
		}
	return bad;
}

const char *err_tr(const char *en_fmt, const char *lang)
{
	if (!tr_cap || !en_fmt || !lang || strncmp(lang, "zh", 2) != 0)
		return NULL;
	size_t h = (size_t)tr_hash(en_fmt) & (tr_cap - 1);
	while (tr_slot[h]) {
		if (tr_slot[h]->en == en_fmt || strcmp(tr_slot[h]->en, en_fmt) == 0)
			return tr_slot[h]->zh;
		h = (h + 1) & (tr_cap - 1);
	}
	return NULL;
}

const char *err_fmt(const char *en_fmt, const char *lang)
{
	const char *zh = err_tr(en_fmt, lang);
	return zh ? zh : en_fmt;
}

int err_set(struct err_info *ei, int code, const char *field, const char *fmt, ...)
{
	if (ei) {
		snprintf(ei->field, sizeof ei->field, "%s", field ? field : "");
		va_list ap;
		va_start(ap, fmt);
		const char *zh = err_tr(fmt, "zh");
		if (zh) {
			va_list ap2;
			va_copy(ap2, ap);
			/* The translation's format is checked against the English one
			 * when the catalog loads, so the arguments fit it. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
			vsnprintf(ei->message_zh, sizeof ei->message_zh, zh, ap2);
#pragma GCC diagnostic pop
			va_end(ap2);
		} else {
			ei->message_zh[0] = 0;
		}
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
