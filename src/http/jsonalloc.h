/* A per-thread cache of freed small blocks for jansson's values: answers
 * are built and freed as many small allocations per request. */
#ifndef CORDON_JSONALLOC_H
#define CORDON_JSONALLOC_H

/* Routes jansson's allocations through the cache (not under
 * AddressSanitizer). Blocks stay plain malloc blocks: free() may free any
 * of them, and values made before the call may be freed after it. */
void jsonalloc_install(void);

#endif
