/* Compact JSON writer; see jsonout.h. Escapes exactly as jansson does:
 * backslash and quote, \b \f \n \r \t, other control characters as \u00XX
 * (upper-case hex); everything else, multi-byte UTF-8 included, verbatim.
 * Reals go through jansson itself: they are rare and their formatting
 * (precision, a ".0" on integral values) is jansson's to define. */
#include "jsonout.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>


/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid;
 * the rules of RFC 3629 (no overlongs, no surrogates, at most U+10FFFF). */
static inline size_t utf8_seq(const unsigned char *s, size_t n)
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

/* The text being written: grown by doubling, written through a cursor. */
struct out {
	char *data;
	size_t len, cap;
};

/* Room for n more bytes and the final NUL; -1 when out of memory. */
static int reserve(struct out *o, size_t n)
{
	if (o->len + n + 1 <= o->cap)
		return 0;
	size_t cap = o->cap ? o->cap : 1024; /* most answers fit the first */
	while (cap < o->len + n + 1)
		cap *= 2;
	char *p = realloc(o->data, cap);
	if (!p)
		return -1;
	o->data = p;
	o->cap = cap;
	return 0;
}

static int put_raw(struct out *o, const char *s, size_t n)
{
	if (reserve(o, n))
		return -1;
	memcpy(o->data + o->len, s, n);
	o->len += n;
	return 0;
}

/* One pass over the string into room for its longest escaping (six bytes
 * a byte): no call per character or per escape. */
static int put_string(struct out *o, const char *str, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)str;
	if (reserve(o, 6 * n + 2))
		return -1;
	char *w = o->data + o->len;
	*w++ = '"';
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if ((unsigned char)(c - 0x20) < 0x60 && c != '"' && c != '\\') {
			*w++ = (char)c;
			i++;
			continue;
		}
		if (c >= 0x80) {
			size_t k = utf8_seq(s + i, n - i);
			if (!k)
				return -1;
			for (size_t j = 0; j < k; j++) /* at most 4: no call to memcpy */
				*w++ = (char)s[i++];
			continue;
		}
		*w++ = '\\';
		switch (c) {
		case '"': *w++ = '"'; break;
		case '\\': *w++ = '\\'; break;
		case '\b': *w++ = 'b'; break;
		case '\f': *w++ = 'f'; break;
		case '\n': *w++ = 'n'; break;
		case '\r': *w++ = 'r'; break;
		case '\t': *w++ = 't'; break;
		default:
			*w++ = 'u';
			*w++ = '0';
			*w++ = '0';
			*w++ = hex[c >> 4];
			*w++ = hex[c & 15];
		}
		i++;
	}
	*w++ = '"';
	o->len = (size_t)(w - o->data);
	return 0;
}

static int put_int(struct out *o, json_int_t v)
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
	return put_raw(o, p, (size_t)(tmp + sizeof tmp - p));
}

static int put(struct out *o, const json_t *v, int depth)
{
	if (depth > 2048)
		return -1; /* jansson's own limit on nesting */
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		if (put_raw(o, "{", 1))
			return -1;
		int first = 1;
		/* json_object_foreach wants a non-const object; it only reads. */
		json_t *obj = (json_t *)v;
		for (void *it = json_object_iter(obj); it; it = json_object_iter_next(obj, it)) {
			if ((!first && put_raw(o, ",", 1)) ||
			    put_string(o, json_object_iter_key(it), json_object_iter_key_len(it)) ||
			    put_raw(o, ":", 1) || put(o, json_object_iter_value(it), depth + 1))
				return -1;
			first = 0;
		}
		return put_raw(o, "}", 1);
	}
	case JSON_ARRAY: {
		if (put_raw(o, "[", 1))
			return -1;
		size_t n = json_array_size(v);
		for (size_t i = 0; i < n; i++)
			if ((i && put_raw(o, ",", 1)) || put(o, json_array_get(v, i), depth + 1))
				return -1;
		return put_raw(o, "]", 1);
	}
	case JSON_STRING:
		return put_string(o, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		return put_int(o, json_integer_value(v));
	case JSON_REAL: {
		/* 15 significant digits: a temperature of 372 tenths is
		 * 37.2, not jansson's default 37.200000000000003. */
		char *s = json_dumps(v, JSON_OUT_DUMP_FLAGS | JSON_ENCODE_ANY);
		if (!s)
			return -1;
		int rc = put_raw(o, s, strlen(s));
		free(s);
		return rc;
	}
	case JSON_TRUE:
		return put_raw(o, "true", 4);
	case JSON_FALSE:
		return put_raw(o, "false", 5);
	case JSON_NULL:
		return put_raw(o, "null", 4);
	}
	return -1;
}

char *json_out(const json_t *v, size_t *len)
{
	struct out o = {0};
	if (!v || put(&o, v, 0) < 0 || reserve(&o, 0)) {
		free(o.data);
		return NULL;
	}
	o.data[o.len] = 0;
	if (len)
		*len = o.len;
	return o.data;
}
