/* Input helpers shared by the daily-work features (reports, dispatch,
 * notices, venues, supervision, volunteers): day fields, multi-line text,
 * inserts that return their id, and the unit a write names. */
#include <stdio.h>
#include <string.h>

#include "../base/buf.h"
#include "../http/scope.h"
#include "daily.h"

int daily_json_day(struct req *r, const char *key, int required, char out[DAY_LEN])
{
	const char *s = NULL;
	out[0] = 0;
	int rc = jx_str(r, r->json, key, required, 10, &s, NULL);
	if (rc || !s || !*s)
		return rc;
	if (day_valid(s))
		return err_set(&r->err, ERR_INVALID, key, "must be a date YYYY-MM-DD");
	snprintf(out, DAY_LEN, "%s", s);
	return 0;
}

int daily_day_up_to_today(struct req *r, char day[DAY_LEN])
{
	char today[DAY_LEN];
	daily_today(today);
	if (!day[0])
		snprintf(day, DAY_LEN, "%s", today);
	if (strcmp(day, today) > 0)
		return err_set(&r->err, ERR_RULE, "day", "the day %s has not come yet", day);
	return 0;
}

int daily_query_day(struct req *r, const char *key, const char *def, char out[DAY_LEN])
{
	const char *v = req_query(r, key);
	if (!v || !*v) {
		snprintf(out, DAY_LEN, "%s", def ? def : "");
		return 0;
	}
	if (day_valid(v))
		return err_set(&r->err, ERR_INVALID, key, "must be a date YYYY-MM-DD");
	snprintf(out, DAY_LEN, "%s", v);
	return 0;
}

int daily_json_text(struct req *r, const char *key, int required, size_t maxlen,
		    const char **out, int *present)
{
	json_t *v = json_object_get(r->json, key);
	if (present)
		*present = v != NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return err_set(&r->err, ERR_INVALID, key, "is required");
		if (v)
			*out = NULL;
		return 0;
	}
	if (!json_is_string(v))
		return err_set(&r->err, ERR_INVALID, key, "must be a string");
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	if (strlen(s) != len)
		return err_set(&r->err, ERR_INVALID, key, "must not contain NUL characters");
	size_t chars = 0, lead = 0;
	while (lead < len && (s[lead] == ' ' || s[lead] == '\n' || s[lead] == '\r' || s[lead] == '\t'))
		lead++;
	while (len > lead && (s[len - 1] == ' ' || s[len - 1] == '\n' || s[len - 1] == '\r' ||
			      s[len - 1] == '\t'))
		len--;
	for (size_t i = lead; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t')
			return err_set(&r->err, ERR_INVALID, key,
				       "must not contain control characters");
		if ((ch & 0xC0) != 0x80)
			chars++;
	}
	if (chars > maxlen)
		return err_set(&r->err, ERR_INVALID, key, "must be at most %zu characters", maxlen);
	if (chars == 0) {
		if (required)
			return err_set(&r->err, ERR_INVALID, key, "must not be empty");
		*out = NULL;
		return 0;
	}
	char *c = arena_strndup(&r->arena, s + lead, len - lead);
	if (!c)
		return err_set(&r->err, ERR_NOMEM, key, "out of memory");
	*out = c;
	return 0;
}

void daily_today(char out[DAY_LEN])
{
	clock_day(clock_now(), out);
}

int daily_insert(struct dbq *q, int64_t *id)
{
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1)
		*id = db_int(q, 0);
	db_done(q);
	return rc == 1 ? 0 : rc < 0 ? rc : ERR_DB;
}

int daily_unit_for_write(struct req *r, struct dbc *c, int64_t unit_id, const char *field,
			 char *kind)
{
	struct dbq *q = db_query(c, "SELECT kind FROM units WHERE id = $1", "i", unit_id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1 && kind)
		snprintf(kind, 16, "%s", db_text(q, 0));
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, field, "no such unit");
	rc = scope_contains(c, r->who.scope_unit_id, unit_id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_FORBIDDEN, field, "this unit is outside your area (scope)");
	return 0;
}

void daily_html_escape(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_append(b, s, 1);
		}
	}
}
