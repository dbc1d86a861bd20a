/* The list of route tables; see features.h. */
#include "features.h"

#include "../http/auth.h"
#include "../http/settings.h"
#include "areas.h"
#include "cases.h"
#include "audit.h"
#include "bulletin.h"
#include "checkpoints.h"
#include "command.h"
#include "daily.h"
#include "discrepancies.h"
#include "funds.h"
#include "enterprises.h"
#include "fevers.h"
#include "gates.h"
#include "imports.h"
#include "isolation.h"
#include "passes.h"
#include "people.h"
#include "screening.h"
#include "supplies.h"
#include "units.h"
#include "users.h"

const struct route_table *const feature_tables[] = {
	&session_routes, &settings_routes, &units_routes,   &command_routes,
	&discrepancies_routes,
	&users_routes,   &audit_routes,    &people_routes, &arrivals_routes,  &areas_routes,
	&imports_routes, &screening_routes, &passes_routes, &gates_routes,
	&checkpoints_routes, &checkpoint_screening_routes, &cases_routes, &reports_routes, &supplies_routes, &supplies_moves_routes,
	&requests_routes, &funds_routes, &isolation_routes, &monitoring_routes, &monitoring_figures_routes,
	&carers_routes,
	&notices_routes, &venues_routes, &supervision_routes, &dispatch_routes,
	&volunteers_routes, /* issue 13 */
	&bulletin_routes, /* issue 17 */
	&contacts_routes, &epipoints_routes, /* issue 12 */
	/* enterprise resumption */
	&enterprises_routes, &enterprise_apps_routes, &enterprise_inspections_routes,
	&fevers_routes, /* issue 10 */
	NULL,
};
