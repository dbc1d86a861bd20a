/* The list of message catalogs; see catalogs.h. A new catalog adds its
 * declaration to catalogs.h and its line here. */
#include "catalogs.h"

#include <stddef.h>

const struct err_catalog *const err_catalogs[] = {
	&http_zh,
	NULL,
};
