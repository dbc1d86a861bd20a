/* jansson's allocations through a per-thread cache of freed small blocks;
 * see jsonalloc.h. An answer is a tree of jansson values (an object, its
 * table, a pair per key, a value and a copy per string): a small GET made
 * and freed about 250 blocks, and glibc's own per-thread cache holds 7 of
 * a size, so most went through its arenas (callgrind: 20k instructions of
 * a 246k request). Blocks are plain malloc blocks, sized on the way back
 * by malloc_usable_size, so a block may be freed by free() (json_dumps'
 * text is) and a value made before the cache was installed may come back
 * through it. Each thread keeps what it frees, up to CAP blocks a size. */
#include "jsonalloc.h"

#include <jansson.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>

#define CLASSES 16 /* usable sizes 24, 40, ... 264: glibc's 16-byte steps */
#define CAP 128

struct cache {
	void *head[CLASSES];
	int n[CLASSES];
};
static __thread struct cache *tc;
static pthread_key_t tc_key;
static pthread_once_t tc_once = PTHREAD_ONCE_INIT;

static size_t class_usable(int k)
{
	return 24 + 16 * (size_t)k;
}

static void cache_free_all(void *p)
{
	struct cache *c = p;
	for (int k = 0; k < CLASSES; k++)
		while (c->head[k]) {
			void *b = c->head[k];
			c->head[k] = *(void **)b;
			free(b);
		}
	free(c);
}

static void make_key(void)
{
	pthread_key_create(&tc_key, cache_free_all);
}

static struct cache *cache_of_thread(void)
{
	if (!tc) {
		pthread_once(&tc_once, make_key);
		tc = calloc(1, sizeof *tc);
		if (tc)
			pthread_setspecific(tc_key, tc); /* freed when the thread ends */
	}
	return tc;
}

static void *jmalloc(size_t n)
{
	int k = n <= 24 ? 0 : (int)((n - 24 + 15) / 16);
	if (k >= CLASSES)
		return malloc(n);
	struct cache *c = tc ? tc : cache_of_thread();
	if (c && c->head[k]) {
		void *b = c->head[k];
		c->head[k] = *(void **)b;
		c->n[k]--;
		return b;
	}
	return malloc(class_usable(k));
}

static void jfree(void *p)
{
	if (!p)
		return;
	size_t u = malloc_usable_size(p);
	struct cache *c = u >= 24 && (u - 24) % 16 == 0 && (u - 24) / 16 < CLASSES
				  ? (tc ? tc : cache_of_thread())
				  : NULL;
	int k = c ? (int)((u - 24) / 16) : 0;
	if (!c || c->n[k] >= CAP) {
		free(p);
		return;
	}
	*(void **)p = c->head[k];
	c->head[k] = p;
	c->n[k]++;
}

void jsonalloc_install(void)
{
#if defined(__SANITIZE_ADDRESS__)
	/* Under AddressSanitizer every block goes back to it at once, so a use
	 * after free of a value is still caught. */
	(void)jmalloc;
	(void)jfree;
#else
	json_set_alloc_funcs(jmalloc, jfree);
#endif
}
