/* Compact JSON writer; see jsonout.h. Escapes exactly as jansson does:
 * backslash and quote, \b \f \n \r \t, other control characters as \u00XX
 * (upper-case hex); everything else, multi-byte UTF-8 included, verbatim.
 * Reals go through jansson itself: they are rare and their formatting
 * (precision, a ".0" on integral values) is jansson's to define. */
#include "jsonout.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid;
 * the rules of RFC 3629 (no overlongs, no surrogates, at most U+10FFFF). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	uint32_t cp;
	if (c < 0xC2)
		return 0; /* continuation byte or overlong 2-byte lead */
	if (c < 0xE0) {
		len = 2;
		cp = c & 0x1F;
	} else if (c < 0xF0) {
		len = 3;
		cp = c & 0x0F;
	} else if (c < 0xF5) {
		len = 4;
		cp = c & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

static int put_string(struct buf *b, const char *str, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0;
	buf_append(b, "\"", 1);
	while (i < n) {
		unsigned char c = s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0x80) {
			size_t k = utf8_seq(s + i, n - i);
			if (!k)
				return -1;
			i += k;
			continue;
		}
		buf_append(b, s + run, i - run);
		char esc[6] = {'\\', 0, 0, 0, 0, 0};
		size_t el = 2;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			el = 6;
		}
		buf_append(b, esc, el);
		run = ++i;
	}
	buf_append(b, s + run, n - run);
	buf_append(b, "\"", 1);
	return 0;
}

static void put_int(struct buf *b, json_int_t v)
{
	char tmp[24];
	char *p = tmp + sizeof tmp;
	/* Unsigned arithmetic: the most negative value has no positive twin. */
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	buf_append(b, p, (size_t)(tmp + sizeof tmp - p));
}

static int put(struct buf *b, const json_t *v, int depth)
{
	if (depth > 2048)
		return -1; /* jansson's own limit on nesting */
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		buf_append(b, "{", 1);
		int first = 1;
		const char *key;
		const json_t *x;
		/* json_object_foreach wants a non-const object; it only reads. */
		json_t *o = (json_t *)v;
		void *it = json_object_iter(o);
		for (; it; it = json_object_iter_next(o, it)) {
			key = json_object_iter_key(it);
			x = json_object_iter_value(it);
			if (!first)
				buf_append(b, ",", 1);
			first = 0;
			if (put_string(b, key, json_object_iter_key_len(it)) < 0)
				return -1;
			buf_append(b, ":", 1);
			if (put(b, x, depth + 1) < 0)
				return -1;
		}
		buf_append(b, "}", 1);
		return 0;
	}
	case JSON_ARRAY: {
		buf_append(b, "[", 1);
		size_t n = json_array_size(v);
		for (size_t i = 0; i < n; i++) {
			if (i)
				buf_append(b, ",", 1);
			if (put(b, json_array_get(v, i), depth + 1) < 0)
				return -1;
		}
		buf_append(b, "]", 1);
		return 0;
	}
	case JSON_STRING:
		return put_string(b, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		put_int(b, json_integer_value(v));
		return 0;
	case JSON_REAL: {
		/* 15 significant digits: a temperature of 372 tenths is
		 * 37.2, not jansson's default 37.200000000000003. */
		char *s = json_dumps(v, JSON_OUT_DUMP_FLAGS | JSON_ENCODE_ANY);
		if (!s)
			return -1;
		buf_puts(b, s);
		free(s);
		return 0;
	}
	case JSON_TRUE:
		buf_append(b, "true", 4);
		return 0;
	case JSON_FALSE:
		buf_append(b, "false", 5);
		return 0;
	case JSON_NULL:
		buf_append(b, "null", 4);
		return 0;
	}
	return -1;
}

char *json_out(const json_t *v, size_t *len)
{
	struct buf b = {0};
	if (!v || put(&b, v, 0) < 0 || b.oom) {
		buf_free(&b);
		return NULL;
	}
	buf_str(&b);
	return buf_take(&b, len);
}
