/* The permission table; see perm.h. Roles follow the command's work:
 * commanders and group leads see everything in scope; officers and grid
 * workers do the field work; checkpoint staff, medics, warehouse keepers,
 * inspectors and enterprises see their own corner. Later features add
 * permissions here and grant them to roles. */
#include "perm.h"

#include <string.h>

#define B(p) (UINT64_C(1) << (p))

#define PEOPLE (B(P_PEOPLE_READ) | B(P_PEOPLE_WRITE))
#define SCREENING (B(P_SCREENING_READ) | B(P_SCREENING_WRITE))
#define CHECKPOINTS (B(P_CHECKPOINTS_READ) | B(P_CHECKPOINTS_WRITE))
#define SUPPLIES (B(P_SUPPLIES_READ) | B(P_SUPPLIES_WRITE))
#define CASES (B(P_CASES_READ) | B(P_CASES_WRITE) | B(P_EPIPOINTS_WRITE))
#define DAILY_ALL (B(P_REPORTS_READ) | B(P_REPORTS_WRITE) | B(P_DISPATCH_WRITE) | \
		   B(P_NOTICES_WRITE) | B(P_SUPERVISION_WRITE) | B(P_VOLUNTEERS_WRITE))

#define ISOLATION (B(P_ISOLATION_READ) | B(P_ISOLATION_WRITE) | B(P_HEALTH_CHECK))
#define ENTERPRISES (B(P_ENTERPRISES_READ) | B(P_ENTERPRISES_WRITE) | B(P_ENTERPRISES_INSPECT))

const struct role_def perm_roles[] = {
	{"admin", B(P_UNITS_READ) | B(P_UNITS_WRITE) | B(P_COMMAND_WRITE) | B(P_USERS_ADMIN) |
		       B(P_AUDIT_READ) | B(P_SETTINGS_ADMIN) | B(P_ID_REVEAL) | PEOPLE |
		       B(P_AREAS_WRITE) | B(P_IMPORT) | SCREENING | CHECKPOINTS |
		       B(P_CHECKPOINTS_ADMIN) | B(P_PASSES_WRITE) | B(P_GATES_SCAN) | SUPPLIES |
		       B(P_SUPPLIES_REQUEST) | B(P_FUNDS_WRITE) | CASES | DAILY_ALL |
		ISOLATION | B(P_ISOLATION_ADMIN) | B(P_ALERTS_CLOSE) |
		ENTERPRISES | B(P_ENTERPRISES_APPLY) |
		B(P_FEVERS_WRITE), 0},
	{"commander", B(P_UNITS_READ) | B(P_UNITS_WRITE) | B(P_COMMAND_WRITE) | B(P_ID_REVEAL) |
			   PEOPLE | B(P_AREAS_WRITE) | B(P_IMPORT) | SCREENING | CHECKPOINTS |
			   B(P_CHECKPOINTS_ADMIN) | B(P_PASSES_WRITE) | SUPPLIES | B(P_FUNDS_WRITE) |
			   CASES | DAILY_ALL |
		ISOLATION | B(P_ISOLATION_ADMIN) |
		ENTERPRISES, 0},
	{"group_lead", B(P_UNITS_READ) | B(P_COMMAND_WRITE) | B(P_ID_REVEAL) | PEOPLE |
			    B(P_AREAS_WRITE) | B(P_IMPORT) | SCREENING | B(P_SUPPLIES_READ) | CASES |
			    B(P_REPORTS_READ) | B(P_DISPATCH_WRITE) | B(P_NOTICES_WRITE) |
		ISOLATION | B(P_ISOLATION_ADMIN) |
		ENTERPRISES, 0},
	{"officer", B(P_UNITS_READ) | B(P_UNITS_WRITE) | B(P_ID_REVEAL) | PEOPLE | B(P_IMPORT) |
			 SCREENING | B(P_CHECKPOINTS_READ) | B(P_PASSES_WRITE) | B(P_GATES_SCAN) |
			 B(P_SUPPLIES_REQUEST) | CASES | B(P_REPORTS_READ) | B(P_REPORTS_WRITE) |
			 B(P_VOLUNTEERS_WRITE) |
		ISOLATION |
		ENTERPRISES, 1},
	{"grid_worker", B(P_UNITS_READ) | PEOPLE | SCREENING | B(P_PASSES_WRITE) | B(P_GATES_SCAN) |
		B(P_ISOLATION_READ) | B(P_HEALTH_CHECK),
	 1},
	{"checkpoint_staff", B(P_UNITS_READ) | PEOPLE | CHECKPOINTS | B(P_GATES_SCAN) |
				  B(P_SUPPLIES_REQUEST), 1},
	{"medic", B(P_UNITS_READ) | B(P_ID_REVEAL) | B(P_PEOPLE_READ) | B(P_SUPPLIES_REQUEST) |
			   B(P_CASES_READ) | B(P_CASES_WRITE) |
		B(P_ISOLATION_READ) | B(P_HEALTH_CHECK) | B(P_ALERTS_CLOSE) |
		B(P_FEVERS_WRITE), 1},
	{"warehouse", B(P_UNITS_READ) | SUPPLIES, 1},
	{"inspector", B(P_UNITS_READ) | B(P_PEOPLE_READ) | B(P_SCREENING_READ) |
			   B(P_CHECKPOINTS_READ) | B(P_SUPPLIES_READ) | B(P_CASES_READ) |
			   B(P_REPORTS_READ) | B(P_SUPERVISION_WRITE) |
		B(P_ISOLATION_READ) |
		B(P_ENTERPRISES_READ) | B(P_ENTERPRISES_INSPECT), 0},
	/* The portal: its own enterprise only (enterprises_principal). */
	{"enterprise", B(P_ENTERPRISES_READ) | B(P_ENTERPRISES_APPLY), 0},
	{0, 0, 0},
};

const struct role_def *perm_role(const char *name)
{
	if (!name)
		return NULL;
	for (const struct role_def *r = perm_roles; r->name; r++)
		if (strcmp(r->name, name) == 0)
			return r;
	return NULL;
}

uint64_t perm_of_role(const char *name)
{
	const struct role_def *r = perm_role(name);
	return r ? r->perms : 0;
}

int perm_has(uint64_t perms, int p)
{
	if (p == PERM_PUBLIC || p == PERM_SIGNED_IN)
		return 1;
	if (p < 0 || p >= P_COUNT)
		return 0;
	return (perms & B(p)) != 0;
}

const char *perm_name(int p)
{
	static const char *const names[P_COUNT] = {
		[P_UNITS_READ] = "units.read",       [P_UNITS_WRITE] = "units.write",
		[P_COMMAND_WRITE] = "command.write", [P_USERS_ADMIN] = "users.admin",
		[P_AUDIT_READ] = "audit.read",       [P_SETTINGS_ADMIN] = "settings.admin",
		[P_ID_REVEAL] = "id.reveal",         [P_PEOPLE_READ] = "people.read",
		[P_PEOPLE_WRITE] = "people.write",   [P_AREAS_WRITE] = "areas.write",
		[P_IMPORT] = "import",               [P_SCREENING_READ] = "screening.read",
		[P_SCREENING_WRITE] = "screening.write",
		[P_CHECKPOINTS_READ] = "checkpoints.read", [P_CHECKPOINTS_WRITE] = "checkpoints.write",
		[P_CHECKPOINTS_ADMIN] = "checkpoints.admin", [P_PASSES_WRITE] = "passes.write",
		[P_GATES_SCAN] = "gates.scan",
		[P_SUPPLIES_READ] = "supplies.read", [P_SUPPLIES_WRITE] = "supplies.write",
		[P_SUPPLIES_REQUEST] = "supplies.request", [P_FUNDS_WRITE] = "funds.write",
		[P_CASES_READ] = "cases.read", [P_CASES_WRITE] = "cases.write",
		[P_EPIPOINTS_WRITE] = "epipoints.write",
		[P_REPORTS_READ] = "reports.read", [P_REPORTS_WRITE] = "reports.write",
		[P_DISPATCH_WRITE] = "dispatch.write", [P_NOTICES_WRITE] = "notices.write",
		[P_SUPERVISION_WRITE] = "supervision.write", [P_VOLUNTEERS_WRITE] = "volunteers.write",
		[P_ISOLATION_READ] = "isolation.read", [P_ISOLATION_WRITE] = "isolation.write",
		[P_ISOLATION_ADMIN] = "isolation.admin", [P_HEALTH_CHECK] = "health.check",
		[P_ALERTS_CLOSE] = "alerts.close",
		[P_ENTERPRISES_READ] = "enterprises.read", [P_ENTERPRISES_WRITE] = "enterprises.write",
		[P_ENTERPRISES_APPLY] = "enterprises.apply",
		[P_ENTERPRISES_INSPECT] = "enterprises.inspect",
		[P_FEVERS_WRITE] = "fevers.write",
	};
	return p >= 0 && p < P_COUNT ? names[p] : "?";
}
