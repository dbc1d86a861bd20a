/* Lists: paging parameters, and one answer for every list — JSON with a
 * cursor, or the whole filtered list as CSV (UTF-8 with BOM, so Excel on
 * Chinese Windows opens it right) or as an .xlsx workbook, as officials
 * expect. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/csvx.h"
#include "../base/log.h"
#include "http.h"

#define EXPORT_MAX 200000

int req_page(struct req *r, struct page *p)
{
	memset(p, 0, sizeof *p);
	const char *f = req_query(r, "format");
	if (f && strcmp(f, "csv") == 0)
		p->export = 1;
	else if (f && strcmp(f, "xlsx") == 0)
		p->export = 2;
	else if (f && *f && strcmp(f, "json") != 0)
		return err_set(&r->err, ERR_INVALID, "format", "must be json, csv or xlsx");
	int rc = req_query_int(r, "limit", 1, 500, 50, &p->limit);
	if (!rc)
		rc = req_query_int(r, "after", 0, INT64_MAX, 0, &p->after);
	const char *o = req_query(r, "order");
	if (!rc && o && *o && strcmp(o, "asc") != 0 && strcmp(o, "desc") != 0)
		rc = err_set(&r->err, ERR_INVALID, "order", "must be asc or desc");
	p->desc = o && strcmp(o, "desc") == 0;
	if (p->export) {
		p->limit = EXPORT_MAX;
		p->after = 0;
	}
	return rc;
}

/* Instants travel as Unix seconds under "at" and "..._at" keys; a file
 * shows them as the district's local date and time, which is what a
 * reader of the sheet means by a time. */
static int time_key(const char *key)
{
	size_t n = strlen(key);
	return strcmp(key, "at") == 0 || (n > 3 && strcmp(key + n - 3, "_at") == 0);
}

static void cell_text(const char *key, json_t *v, struct buf *b)
{
	if (json_is_integer(v) && time_key(key)) {
		char t[TIME_LEN];
		clock_time(json_integer_value(v), t);
		buf_puts(b, t);
	} else if (json_is_string(v))
		buf_puts(b, json_string_value(v));
	else if (json_is_integer(v))
		buf_printf(b, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		buf_printf(b, "%g", json_real_value(v));
	else if (json_is_true(v))
		buf_puts(b, "1");
	else if (json_is_false(v))
		buf_puts(b, "0");
}

static int export_csv(struct req *r, json_t *items, const struct list_col *cols,
		      const char *filename)
{
	struct buf out = {0}, cell = {0};
	buf_puts(&out, "\xEF\xBB\xBF");
	for (const struct list_col *c = cols; c->key; c++) {
		if (c != cols)
			buf_puts(&out, ",");
		csvx_cell(&out, c->label);
	}
	buf_puts(&out, "\r\n");
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		for (const struct list_col *c = cols; c->key; c++) {
			if (c != cols)
				buf_puts(&out, ",");
			cell.len = 0;
			buf_puts(&cell, "");
			json_t *v = json_object_get(it, c->key);
			cell_text(c->key, v, &cell);
			if (json_is_number(v)) /* a number as such: -3 stays -3 */
				buf_puts(&out, buf_str(&cell));
			else
				csvx_cell(&out, buf_str(&cell));
		}
		buf_puts(&out, "\r\n");
	}
	buf_free(&cell);
	size_t len;
	char *data = buf_take(&out, &len);
	if (!data)
		return err_set(&r->err, ERR_NOMEM, "", "out of memory");
	r->filename = arena_printf(&r->arena, "%s.csv", filename);
	return resp_raw(r, 200, "text/csv; charset=utf-8", data, len);
}

static int export_xlsx(struct req *r, json_t *items, const struct list_col *cols,
		       const char *filename)
{
	/* libxlsxwriter 1.1.4 (Debian 12) writes only to files. */
	char path[] = "/tmp/cordon-export-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return err_set(&r->err, ERR_INTERNAL, "", "cannot create a temporary file");
	close(fd);
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = "/tmp"};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	if (!wb) {
		unlink(path);
		return err_set(&r->err, ERR_INTERNAL, "", "cannot create the workbook");
	}
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
	lxw_format *head = workbook_add_format(wb);
	format_set_bold(head);
	lxw_format *when = workbook_add_format(wb);
	format_set_num_format(when, "yyyy-mm-dd hh:mm:ss");
	int col = 0;
	for (const struct list_col *c = cols; c->key; c++, col++) {
		/* A date cell too narrow for its text shows as "#####". */
		worksheet_set_column(ws, (lxw_col_t)col, (lxw_col_t)col, time_key(c->key) ? 20 : 16,
				     NULL);
		worksheet_write_string(ws, 0, (lxw_col_t)col, c->label, head);
	}
	size_t i;
	json_t *it;
	struct buf cell = {0};
	json_array_foreach(items, i, it)
	{
		col = 0;
		for (const struct list_col *c = cols; c->key; c++, col++) {
			json_t *v = json_object_get(it, c->key);
			lxw_row_t row = (lxw_row_t)(i + 1);
			if (json_is_integer(v) && time_key(c->key)) {
				int64_t t = json_integer_value(v);
				worksheet_write_unixtime(ws, row, (lxw_col_t)col, t + clock_offset(t),
							 when);
			} else if (json_is_integer(v))
				worksheet_write_number(ws, row, (lxw_col_t)col,
						       (double)json_integer_value(v), NULL);
			else if (v && !json_is_null(v)) {
				cell.len = 0;
				buf_puts(&cell, "");
				cell_text(c->key, v, &cell);
				worksheet_write_string(ws, row, (lxw_col_t)col, buf_str(&cell), NULL);
			}
		}
	}
	buf_free(&cell);
	lxw_error e = workbook_close(wb);
	if (e != LXW_NO_ERROR) {
		unlink(path);
		return err_set(&r->err, ERR_INTERNAL, "", "cannot write the workbook: %s",
			       lxw_strerror(e));
	}
	FILE *f = fopen(path, "rb");
	unlink(path);
	if (!f)
		return err_set(&r->err, ERR_INTERNAL, "", "cannot read the workbook");
	struct buf out = {0};
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&out, chunk, n);
	fclose(f);
	size_t len;
	char *data = buf_take(&out, &len);
	if (!data)
		return err_set(&r->err, ERR_NOMEM, "", "out of memory");
	r->filename = arena_printf(&r->arena, "%s.xlsx", filename);
	return resp_raw(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			data, len);
}

int resp_list(struct req *r, const struct page *p, json_t *items, int64_t next,
	      const struct list_col *cols, const char *filename)
{
	if (!items)
		return err_set(&r->err, ERR_NOMEM, "", "out of memory");
	int rc;
	if (p->export == 1)
		rc = export_csv(r, items, cols, filename);
	else if (p->export == 2)
		rc = export_xlsx(r, items, cols, filename);
	else {
		json_t *nx = next ? json_sprintf("%lld", (long long)next) : json_null();
		return resp_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next", nx));
	}
	json_decref(items);
	return rc;
}

int req_query_like(struct req *r, const char *key, const char **pat)
{
	const char *q = req_query(r, key);
	*pat = "";
	if (!q || !*q)
		return 0;
	if (strlen(q) > 64)
		return err_set(&r->err, ERR_INVALID, key, "must be at most 64 characters");
	struct buf b = {0};
	buf_puts(&b, "%");
	for (const char *p = q; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_puts(&b, "\\");
		char ch = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
		buf_append(&b, &ch, 1);
	}
	buf_puts(&b, "%");
	const char *s = buf_str(&b);
	*pat = s ? arena_strdup(&r->arena, s) : NULL;
	buf_free(&b);
	return *pat ? 0 : err_set(&r->err, ERR_NOMEM, "", "out of memory");
}

int list_collect(struct dbq *q, const struct page *pg, json_t *items,
		 json_t *(*row)(struct dbq *), int64_t *next)
{
	int64_t n = 0, last = 0;
	int rc;
	*next = 0;
	while ((rc = db_step(q)) == 1) {
		if (n++ == pg->limit) {
			*next = last;
			break;
		}
		last = db_int(q, 0);
		json_t *it = row(q);
		if (!it || json_array_append_new(items, it)) {
			rc = ERR_NOMEM;
			break;
		}
	}
	db_done(q);
	return rc < 0 ? rc : 0;
}

int resp_query_list(struct req *r, const struct page *pg, struct dbq *q,
		    json_t *(*row)(struct dbq *), const struct list_col *cols,
		    const char *filename)
{
	if (!q)
		return ERR_DB;
	json_t *items = json_array();
	int64_t next = 0;
	int rc = list_collect(q, pg, items, row, &next);
	if (rc) {
		json_decref(items);
		return rc;
	}
	return resp_list(r, pg, items, next, cols, filename);
}

int resp_search_list(struct req *r, const char *sql, json_t *(*row)(struct dbq *),
		     const struct list_col *cols, const char *filename)
{
	struct page pg;
	const char *pat = "";
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_like(r, "q", &pat);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, sql, "iiti", r->who.scope_unit_id, pg.after, pat,
				 pg.limit + 1);
	return resp_query_list(r, &pg, q, row, cols, filename);
}
