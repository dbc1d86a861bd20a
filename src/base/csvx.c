/* CSV reading on libcsv; see csvx.h. Data is fed one physical line at a
 * time so each row knows the line it started on. */
#include "csvx.h"

#include <csv.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define MAX_FIELDS 128

struct state {
	csvx_row_fn fn;
	void *ctx;
	int line;       /* physical line being fed */
	int row_line;   /* line the current row started on */
	int at_boundary; /* the previous row has ended (or none began) */
	char *fields[MAX_FIELDS];
	size_t off[MAX_FIELDS]; /* each field's start in buf */
	size_t n;
	char *buf; /* the current row's fields, each NUL-terminated (one allocation
		    * for all rows, not one per field) */
	size_t used, cap;
	int stop;
	int too_many;
};

int csvx_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	while (p < e) {
		unsigned c = *p;
		size_t k;
		if (c < 0x80) {
			p++;
			continue;
		} else if ((c & 0xE0) == 0xC0 && c >= 0xC2)
			k = 1;
		else if ((c & 0xF0) == 0xE0)
			k = 2;
		else if ((c & 0xF8) == 0xF0 && c <= 0xF4)
			k = 3;
		else
			return 0;
		if ((size_t)(e - p) <= k)
			return 0;
		for (size_t i = 1; i <= k; i++)
			if ((p[i] & 0xC0) != 0x80)
				return 0;
		/* Overlong forms, UTF-16 surrogates (which PostgreSQL refuses)
		 * and code points past U+10FFFF are not UTF-8 either. */
		if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0) ||
		    (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
			return 0;
		p += k + 1;
	}
	return 1;
}

static void on_field(void *s, size_t len, void *data)
{
	struct state *st = data;
	if (st->n >= MAX_FIELDS) {
		st->too_many = 1;
		return;
	}
	if (st->used + len + 1 > st->cap) {
		size_t ncap = st->cap ? st->cap : 1024;
		while (ncap < st->used + len + 1)
			ncap *= 2;
		char *nb = realloc(st->buf, ncap);
		if (!nb) {
			st->stop = -1;
			return;
		}
		st->buf = nb;
		st->cap = ncap;
	}
	if (len)
		memcpy(st->buf + st->used, s, len);
	st->buf[st->used + len] = 0;
	st->off[st->n++] = st->used;
	st->used += len + 1;
}

static void free_fields(struct state *st)
{
	st->n = 0;
	st->used = 0;
}

static void on_row(int term, void *data)
{
	(void)term;
	struct state *st = data;
	for (size_t i = 0; i < st->n; i++)
		st->fields[i] = st->buf + st->off[i];
	int blank = st->n == 1 && st->fields[0][0] == 0;
	if (!st->stop && st->n && !blank)
		st->stop = st->fn(st->ctx, st->row_line, st->fields, st->n);
	free_fields(st);
	st->at_boundary = 1;
}

static char *to_utf8(const char *data, size_t len, size_t *outlen)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return NULL;
	size_t cap = len * 2 + 16;
	char *out = malloc(cap);
	if (!out) {
		iconv_close(cd);
		return NULL;
	}
	char *in = (char *)data, *o = out;
	size_t inleft = len, oleft = cap;
	size_t rc = iconv(cd, &in, &inleft, &o, &oleft);
	iconv_close(cd);
	if (rc == (size_t)-1 || inleft) {
		free(out);
		return NULL;
	}
	*outlen = cap - oleft;
	return out;
}

int csvx_parse(const char *data, size_t len, csvx_row_fn fn, void *ctx, const char **encoding,
	       char *err, size_t errlen)
{
	char *conv = NULL;
	*encoding = "utf-8";
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	/* A NUL byte is no CSV text (a spreadsheet's own file, or a forged
	 * cell): refused whole, never cut short at it. */
	const char *nul = memchr(data, 0, len);
	if (nul) {
		int line = 1;
		for (const char *p = data; p < nul; p++)
			line += *p == '\n';
		snprintf(err, errlen, "line %d: a NUL byte: this is not CSV text", line);
		return -1;
	}
	if (!csvx_utf8_valid(data, len)) {
		size_t n = 0;
		conv = to_utf8(data, len, &n);
		if (!conv) {
			snprintf(err, errlen, "the file is neither UTF-8 nor GB18030 text");
			return -1;
		}
		data = conv;
		len = n;
		*encoding = "gb18030";
	}
	struct csv_parser p;
	if (csv_init(&p, CSV_APPEND_NULL) != 0) {
		free(conv);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	struct state st = {.fn = fn, .ctx = ctx, .at_boundary = 1};
	size_t off = 0;
	int rc = 0;
	while (off < len && !st.stop) {
		const char *nl = memchr(data + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (data + off)) + 1 : len - off;
		st.line++;
		/* A row starts on the first non-blank line after the last one
		 * ended; a quoted field may carry it over several lines. */
		if (st.at_boundary && strspn(data + off, " \t\r\n") < n) {
			st.row_line = st.line;
			st.at_boundary = 0;
		}
		if (csv_parse(&p, data + off, n, on_field, on_row, &st) != n) {
			snprintf(err, errlen, "line %d: %s", st.line, csv_strerror(csv_error(&p)));
			rc = -1;
			break;
		}
		off += n;
	}
	if (!rc && !st.stop)
		csv_fini(&p, on_field, on_row, &st);
	if (!rc && st.too_many) {
		snprintf(err, errlen, "a row has more than %d columns", MAX_FIELDS);
		rc = -1;
	}
	free_fields(&st);
	free(st.buf);
	csv_free(&p);
	free(conv);
	if (!rc && st.stop)
		rc = st.stop;
	return rc;
}

int csvx_text_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return 0;
	}
	return csvx_utf8_valid(s, n);
}

void csvx_cell(struct buf *b, const char *s)
{
	/* A cell a spreadsheet would read as a formula (OWASP's CSV
	 * injection: =, +, -, @, tab, carriage return first) is written as
	 * text: a leading apostrophe, which Excel and WPS hide. */
	int formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
		      s[0] == '\r';
	if (!formula && !strpbrk(s, ",\"\r\n")) {
		buf_puts(b, s);
		return;
	}
	buf_puts(b, "\"");
	if (formula)
		buf_puts(b, "'");
	for (; *s; s++) {
		if (*s == '"')
			buf_puts(b, "\"\"");
		else
			buf_append(b, s, 1);
	}
	buf_puts(b, "\"");
}
