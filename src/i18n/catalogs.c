/* The list of message catalogs; see catalogs.h. A new catalog adds its
 * declaration to catalogs.h and its line here. */
#include "catalogs.h"

#include <stddef.h>

const struct err_catalog *const err_catalogs[] = {
	&http_zh,
	&areas_zh,
	&audit_zh,
	&cases_zh,
	&bulletin_zh,
	&checkpoints_zh,
	&command_zh,
	&discrepancies_zh,
	&contacts_zh,
	&fevers_zh,
	&epipoints_zh,
	&gates_zh,
	&imports_zh,
	&isolation_zh,
	&passes_zh,
	&people_zh,
	&screening_zh,
	&supplies_zh,
	&units_zh,
	&users_zh,
	&reports_zh,
	&notices_zh,
	&venues_zh,
	&supervision_zh,
	&enterprises_zh,
	&enterprise_apps_zh,
	&enterprise_inspections_zh,
	&dispatch_zh,
	&volunteers_zh,
	NULL,
};
