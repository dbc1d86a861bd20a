/* The Chinese message catalogs (base/err.h): one per source file whose
 * messages a person can see, each in src/i18n/<file>.c. Data only: this
 * directory includes nothing but base/err.h. */
#ifndef CORDON_CATALOGS_H
#define CORDON_CATALOGS_H

#include "../base/err.h"

/* Every catalog, NULL-terminated; main.c loads them at start-up. */
extern const struct err_catalog *const err_catalogs[];

extern const struct err_catalog http_zh;
extern const struct err_catalog areas_zh;
extern const struct err_catalog audit_zh;
extern const struct err_catalog cases_zh;
extern const struct err_catalog bulletin_zh;
extern const struct err_catalog checkpoints_zh;
extern const struct err_catalog command_zh;
extern const struct err_catalog discrepancies_zh;
extern const struct err_catalog contacts_zh;
extern const struct err_catalog fevers_zh;
extern const struct err_catalog epipoints_zh;
extern const struct err_catalog gates_zh;
extern const struct err_catalog imports_zh;
extern const struct err_catalog isolation_zh;
extern const struct err_catalog passes_zh;
extern const struct err_catalog people_zh;
extern const struct err_catalog screening_zh;
extern const struct err_catalog supplies_zh;
extern const struct err_catalog units_zh;
extern const struct err_catalog users_zh;
extern const struct err_catalog reports_zh;
extern const struct err_catalog notices_zh;
extern const struct err_catalog venues_zh;
extern const struct err_catalog supervision_zh;
extern const struct err_catalog enterprises_zh;
extern const struct err_catalog enterprise_apps_zh;
extern const struct err_catalog enterprise_inspections_zh;
extern const struct err_catalog dispatch_zh;
extern const struct err_catalog volunteers_zh;

#endif
