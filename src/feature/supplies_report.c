/* `cordon report supplies --day D`: the day's supplies report as officials
 * file it — per item the quantity raised (receipts and their corrections),
 * issued to the front line, written off or adjusted otherwise, and on hand
 * at the end of the local day; per fund what was allocated, donated, spent
 * and the balance then, in yuan from fen — recomputed from the ledgers, as
 * an .xlsx workbook (two sheets) or CSV (UTF-8 with BOM, items then funds). */
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../http/scope.h"
#include "funds.h"
#include "supplies.h"

static const char items_sql[] =
	"SELECT i.name, i.spec, i.unit,"
	" COALESCE(SUM(CASE WHEN l.kind = 'receipt' OR o.kind = 'receipt' THEN l.quantity END), 0),"
	" COALESCE(-SUM(CASE WHEN l.kind = 'issue' THEN l.quantity END), 0),"
	" COALESCE(SUM(CASE WHEN l.kind <> 'receipt' AND l.kind <> 'issue'"
	" AND (o.kind IS NULL OR o.kind <> 'receipt') THEN l.quantity END), 0),"
	" COALESCE(SUM(l.quantity), 0)"
	" FROM items i JOIN stock_ledger l ON l.item_id = i.id"
	" LEFT JOIN stock_ledger o ON o.id = l.corrects_id"
	" WHERE l.at < $2 AND " SCOPE_SQL("l.unit_id", "1")
	" GROUP BY i.id, i.name, i.spec, i.unit ORDER BY i.id";

static const char funds_sql[] =
	"SELECT f.name,"
	" COALESCE(SUM(CASE WHEN e.kind = 'allocation' THEN e.amount_fen END), 0),"
	" COALESCE(SUM(CASE WHEN e.kind = 'donation' THEN e.amount_fen END), 0),"
	" COALESCE(-SUM(CASE WHEN e.kind = 'spend' THEN e.amount_fen END), 0),"
	" COALESCE(SUM(e.amount_fen), 0)"
	" FROM funds f LEFT JOIN fund_entries e ON e.fund_id = f.id AND e.at < $2"
	" WHERE " SCOPE_SQL("f.unit_id", "1") " GROUP BY f.id, f.name ORDER BY f.id";

static const char *const item_head[] = {"物资", "规格", "计量单位", "筹集", "发放",
					"调整与报损", "期末库存"};
static const char *const fund_head[] = {"资金", "拨付（元）", "捐赠（元）", "支出（元）",
					"余额（元）"};

static void csv_cell(struct buf *b, const char *s, int first)
{
	if (!first)
		buf_puts(b, ",");
	if (!strpbrk(s, ",\"\r\n")) {
		buf_puts(b, s);
		return;
	}
	buf_puts(b, "\"");
	for (; *s; s++)
		buf_append(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
	buf_puts(b, "\"");
}

int supplies_report(struct dbc *c, int64_t scope_unit, const char *day, int csv,
		    const char *out, struct err_info *ei)
{
	char next[DAY_LEN], t[48];
	if (!day || day_valid(day) || day_add(day, 1, next))
		return err_set(ei, ERR_INVALID, "day", "must be a date YYYY-MM-DD");
	int64_t end = day_start(next);
	struct dbq *q = db_query(c, items_sql, "ii", scope_unit, end);
	if (!q)
		return err_set(ei, ERR_DB, "", "%s", db_errmsg(c));
	lxw_workbook *wb = NULL;
	lxw_worksheet *ws = NULL;
	lxw_format *bold = NULL;
	struct buf b = {0};
	if (csv) {
		buf_puts(&b, "\xEF\xBB\xBF");
		buf_printf(&b, "物资保障报表,截至 %s\r\n", day);
		for (size_t i = 0; i < 7; i++)
			csv_cell(&b, item_head[i], i == 0);
		buf_puts(&b, "\r\n");
	} else {
		wb = workbook_new(out);
		if (!wb) {
			db_done(q);
			return err_set(ei, ERR_INTERNAL, "", "cannot write %s", out);
		}
		bold = workbook_add_format(wb);
		format_set_bold(bold);
		ws = workbook_add_worksheet(wb, "物资");
		worksheet_write_string(ws, 0, 0, "物资保障报表", bold);
		snprintf(t, sizeof t, "截至 %s", day);
		worksheet_write_string(ws, 0, 1, t, NULL);
		worksheet_set_column(ws, 0, 0, 30, NULL);
		worksheet_set_column(ws, 1, 6, 14, NULL);
		for (int i = 0; i < 7; i++)
			worksheet_write_string(ws, 1, (lxw_col_t)i, item_head[i], bold);
	}
	int rc, row = 2;
	while ((rc = db_step(q)) == 1) {
		if (csv) {
			for (int k = 0; k < 3; k++)
				csv_cell(&b, db_text(q, k), k == 0);
			for (int k = 3; k < 7; k++)
				buf_printf(&b, ",%lld", (long long)db_int(q, k));
			buf_puts(&b, "\r\n");
		} else {
			for (int k = 0; k < 3; k++)
				worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)k, db_text(q, k), NULL);
			for (int k = 3; k < 7; k++)
				worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)k,
						       (double)db_int(q, k), NULL);
		}
		row++;
	}
	db_done(q);
	if (rc >= 0 && !(q = db_query(c, funds_sql, "ii", scope_unit, end)))
		rc = ERR_DB;
	if (rc >= 0) {
		if (csv) {
			buf_puts(&b, "\r\n");
			for (size_t i = 0; i < 5; i++)
				csv_cell(&b, fund_head[i], i == 0);
			buf_puts(&b, "\r\n");
		} else {
			ws = workbook_add_worksheet(wb, "资金");
			worksheet_set_column(ws, 0, 0, 30, NULL);
			worksheet_set_column(ws, 1, 4, 16, NULL);
			for (int i = 0; i < 5; i++)
				worksheet_write_string(ws, 0, (lxw_col_t)i, fund_head[i], bold);
		}
		row = 1;
		while ((rc = db_step(q)) == 1) {
			if (csv) {
				csv_cell(&b, db_text(q, 0), 1);
				/* Yuan with two decimals, exact: no thousands
				 * separators in a CSV number. */
				for (int k = 1; k < 5; k++) {
					int64_t f = db_int(q, k);
					buf_printf(&b, ",%s%lld.%02lld", f < 0 ? "-" : "",
						   (long long)((f < 0 ? -f : f) / 100),
						   (long long)((f < 0 ? -f : f) % 100));
				}
				buf_puts(&b, "\r\n");
			} else {
				worksheet_write_string(ws, (lxw_row_t)row, 0, db_text(q, 0), NULL);
				for (int k = 1; k < 5; k++)
					worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)k,
							       (double)db_int(q, k) / 100.0, NULL);
			}
			row++;
		}
		db_done(q);
	}
	if (rc < 0) {
		if (wb)
			workbook_close(wb);
		buf_free(&b);
		return err_set(ei, ERR_DB, "", "%s", db_errmsg(c));
	}
	if (!csv)
		return workbook_close(wb) == LXW_NO_ERROR
			       ? 0
			       : err_set(ei, ERR_INTERNAL, "", "cannot write %s", out);
	FILE *f = out ? fopen(out, "w") : stdout;
	rc = f && fputs(buf_str(&b), f) >= 0 ? 0 : ERR_INTERNAL;
	if (f && f != stdout && fclose(f))
		rc = ERR_INTERNAL;
	buf_free(&b);
	return rc ? err_set(ei, rc, "", "cannot write %s", out ? out : "stdout") : 0;
}
