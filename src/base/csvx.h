/* Reading CSV files people make: UTF-8 with or without a BOM, or GB18030
 * (what Excel on Chinese Windows writes), quoted fields with commas and
 * newlines, CRLF, blank lines and stray spaces. Rows come to a callback with
 * the line number where they start, so rejects can name it. */
#ifndef CORDON_CSVX_H
#define CORDON_CSVX_H

#include <stddef.h>

struct buf;

/* Called per non-blank row; fields are NUL-terminated and trimmed. Return
 * non-zero to stop. */
typedef int (*csvx_row_fn)(void *ctx, int line, char **fields, size_t nfields);

/* Parses data; *encoding is set to "utf-8" or "gb18030". Returns 0, or -1
 * when the bytes are neither valid UTF-8 nor GB18030 or malformed CSV
 * (message in err, size errlen), or the callback's non-zero value. */
int csvx_parse(const char *data, size_t len, csvx_row_fn fn, void *ctx, const char **encoding,
	       char *err, size_t errlen);

/* 1 if s (n bytes) is valid UTF-8. */
int csvx_utf8_valid(const char *s, size_t n);
/* 1 if s (n bytes) is text as it may be stored: valid UTF-8 (no overlong
 * forms, no surrogates) without NUL or other control characters. */
int csvx_text_ok(const char *s, size_t n);

/* Appends s to b as one CSV cell: quoted when it holds a comma, quote or
 * line break; a text starting with =, +, -, @, tab or carriage return is
 * written with a leading apostrophe, so no spreadsheet runs it as a formula
 * (CSV injection). */
void csvx_cell(struct buf *b, const char *s);

#endif
