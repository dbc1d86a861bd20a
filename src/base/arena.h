/* A bump allocator: each request owns one and frees everything at once when
 * it ends, so handlers never track small allocations. */
#ifndef CORDON_ARENA_H
#define CORDON_ARENA_H

#include <stddef.h>

struct arena_chunk;
struct arena {
	struct arena_chunk *head;
	size_t used, cap;
};

/* Returns zeroed memory owned by the arena, or NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t n);
/* Copies s (n bytes, or up to its NUL if n == (size_t)-1) into the arena. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Frees every chunk; the arena can be used again afterwards. */
void arena_free(struct arena *a);

#endif
