/* Text as people type it into a Chinese input method: full-width forms
 * (ＡＢＣ１２３, Ｘ, the ideographic space) folded to the ASCII a rule
 * reads, and lengths counted in characters rather than bytes. No domain
 * words: the ID number, phone, plate and document rules call these before
 * they check. */
#ifndef CORDON_TEXT_H
#define CORDON_TEXT_H

#include <stddef.h>

/* Copies in to out (cap bytes with the NUL) with each full-width ASCII
 * form U+FF01..U+FF5E turned into its ASCII character and the ideographic
 * space U+3000 into a space; everything else is copied as it is. 0, or -1
 * when out is too small (out then holds what fitted). */
int text_fold_width(const char *in, char *out, size_t cap);
/* The number of characters (UTF-8 code points) in s. */
size_t text_chars(const char *s);

#endif
