/* A growable byte buffer for building text (CSV, SQL lists, logs). The
 * owner frees it with buf_free; a failed append sets `oom` and later appends
 * do nothing, so callers check once at the end. */
#ifndef CORDON_BUF_H
#define CORDON_BUF_H

#include <stddef.h>

struct buf {
	char *data;
	size_t len, cap;
	int oom;
};

void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the NUL-terminated contents (never NULL unless oom). */
const char *buf_str(struct buf *b);
/* Hands the malloc'd data to the caller (who frees it) and resets b. */
char *buf_take(struct buf *b, size_t *len);
void buf_free(struct buf *b);

#endif
