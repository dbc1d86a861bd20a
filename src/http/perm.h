/* Roles and permissions: one table says what each role may do. Features
 * name the permission a route needs; the router checks it. */
#ifndef CORDON_PERM_H
#define CORDON_PERM_H

#include <stdint.h>

enum perm {
	P_UNITS_READ,      /* see units, the command structure, dashboards */
	P_UNITS_WRITE,     /* create and edit units, import them */
	P_COMMAND_WRITE,   /* working groups, leaders, responsible units, assignments */
	P_USERS_ADMIN,     /* users and device tokens */
	P_AUDIT_READ,      /* the audit log */
	P_SETTINGS_ADMIN,  /* rule settings */
	P_ID_REVEAL,       /* whole ID numbers and phones (audited) */
	P_PEOPLE_READ,     /* households, persons, arrivals */
	P_PEOPLE_WRITE,    /* register and change households and persons */
	P_AREAS_WRITE,     /* the list of risk areas and their grades */
	P_IMPORT,          /* import big-data lists */
	P_SCREENING_READ,  /* screening rounds, teams, visits, coverage */
	P_SCREENING_WRITE, /* run rounds and teams, record visits */
	P_CHECKPOINTS_READ,  /* checkpoints, shifts, screening records, counts */
	P_CHECKPOINTS_WRITE, /* duty sign-in/out, vehicle and train screening */
	P_CHECKPOINTS_ADMIN, /* create checkpoints, lay out rosters */
	P_PASSES_WRITE,      /* issue and revoke compound passes, gates */
	P_GATES_SCAN,        /* scan at a compound gate */
	P_SUPPLIES_READ,     /* stock, ledger, requests queue, donations, funds */
	P_SUPPLIES_WRITE,    /* items, warehouses, receipts, issues, approvals, goods donations */
	P_SUPPLIES_REQUEST,  /* ask the warehouse for supplies (front-line units) */
	P_FUNDS_WRITE,       /* funds, allocations, spending, money donations */
	P_CASES_READ,        /* cases, trajectories, contacts, epidemic points */
	P_CASES_WRITE,       /* report cases and their changes, trajectories, decide contacts */
	P_EPIPOINTS_WRITE,   /* open epidemic points, their steps, groups, roster, lifting */
	P_REPORTS_READ,      /* daily reports, reporting status, dispatch, supervision */
	P_REPORTS_WRITE,     /* file a unit's daily or zero report */
	P_DISPATCH_WRITE,    /* the evening dispatch: meetings, progress, problems */
	P_NOTICES_WRITE,     /* public notices and venue closures */
	P_SUPERVISION_WRITE, /* inspection groups, inspections, findings */
	P_VOLUNTEERS_WRITE,  /* register volunteers, posts, shifts */
	P_ISOLATION_READ,    /* isolation orders, sites, checks, alerts, requests, monitoring figures */
	P_ISOLATION_WRITE,   /* order, extend, release and transfer isolation; carers; self-report links */
	P_ISOLATION_ADMIN,   /* designate quarantine hotels and hospitals, their rooms */
	P_HEALTH_CHECK,      /* record an isolated person's health check; service requests */
	P_ALERTS_CLOSE,      /* acknowledge and close health alerts (medics) */
	P_ENTERPRISES_READ,    /* enterprises, applications, inspections, the resumption rate */
	P_ENTERPRISES_WRITE,   /* register enterprises, review applications */
	P_ENTERPRISES_APPLY,   /* file an application, its employees, the day resumed (portal) */
	P_ENTERPRISES_INSPECT, /* operating inspections, findings and follow-up */
	P_FEVERS_WRITE,      /* close a fever after following it up (medics) */
	P_COUNT
};

#define PERM_PUBLIC (-1)    /* no sign-in needed */
#define PERM_SIGNED_IN (-2) /* any signed-in user or device */

struct role_def {
	const char *name;
	uint64_t perms;
	int device_ok; /* may a device token carry this role */
};

/* The role table, terminated by a NULL name. */
extern const struct role_def perm_roles[];
/* The role named, or NULL. */
const struct role_def *perm_role(const char *name);
/* The permission bits of a role (0 for an unknown role). */
uint64_t perm_of_role(const char *name);
/* 1 if perms grants p (PERM_SIGNED_IN and PERM_PUBLIC always granted). */
int perm_has(uint64_t perms, int p);
/* Stable name of a permission ("units.read") for the browser's menu. */
const char *perm_name(int p);

#endif
