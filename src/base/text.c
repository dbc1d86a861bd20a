/* Full-width folding and character counts; see text.h. */
#include "text.h"

#include <string.h>

int text_fold_width(const char *in, char *out, size_t cap)
{
	if (!cap)
		return -1;
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)in;
	while (*p) {
		/* U+FF01..U+FF5E is EF BC 81..EF BC BF and EF BD 80..EF BD 9E;
		 * U+3000 is E3 80 80. */
		int ch = -1, len = 1;
		if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x81 && p[2] <= 0xBF) {
			ch = 0x21 + (p[2] - 0x81);
			len = 3;
		} else if (p[0] == 0xEF && p[1] == 0xBD && p[2] >= 0x80 && p[2] <= 0x9E) {
			ch = 0x60 + (p[2] - 0x80);
			len = 3;
		} else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
			ch = ' ';
			len = 3;
		}
		if (ch >= 0) {
			if (n + 1 >= cap) {
				out[n] = 0;
				return -1;
			}
			out[n++] = (char)ch;
			p += len;
			continue;
		}
		if (n + 1 >= cap) {
			out[n] = 0;
			return -1;
		}
		out[n++] = (char)*p++;
	}
	out[n] = 0;
	return 0;
}

size_t text_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}
