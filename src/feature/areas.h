/* Administrative divisions (GB/T 2260), the risk areas the command grades,
 * and the grading of an arrival by where it came from and when (DOMAIN.md
 * §7, §8 and Rules: area risk). */
#ifndef CORDON_AREAS_H
#define CORDON_AREAS_H

#include <stddef.h>
#include <stdint.h>

#include "../db/db.h"
#include "../http/http.h"

extern const struct route_table areas_routes;

/* One listed area: a division code at any level and a grade over dates. */
struct area_rule {
	int64_t id;
	const char *code;  /* "420000" province, "420100" prefecture, "420102" county */
	const char *grade; /* severe heavy other_province local high medium low */
	const char *from;  /* YYYY-MM-DD */
	const char *to;    /* inclusive, or NULL: still applies */
};

/* 1 if grade is one of the seven grades. */
int areas_grade_valid(const char *grade);
/* The handling a grade calls for: "centralized", "home" or "monitor". */
const char *areas_handling(const char *grade);
/* The level of a 6-digit division code: 1 province (xx0000), 2 prefecture
 * (xxxx00), 3 county; 0 if not a 6-digit code. */
int areas_code_level(const char *code);
/* The most specific rule applying to origin on day: a county rule beats a
 * prefecture rule beats a province rule; among equals the latest valid_from.
 * NULL when none applies. */
const struct area_rule *areas_pick(const struct area_rule *rules, size_t n, const char *origin,
				   const char *day);
/* The grade of an origin no rule covers: "local" inside the home province
 * (the first two digits of home_code), "other_province" outside. */
const char *areas_default_grade(const char *origin, const char *home_code);

/* Grades an arrival from the risk_areas table: writes the grade into
 * grade[16], the handling, and the rule's id (0 when defaulted). */
int areas_grade_of(struct dbc *c, const char *origin, const char *day, char grade[16],
		   const char **handling, int64_t *rule_id);
/* Resolves an origin typed as a code or a name (湖北省, 武汉市, 湖北省武汉市,
 * 武汉) to a division code and name (code[7], name[64]). 1 found, 0 not,
 * <0 error. */
int areas_resolve(struct dbc *c, const char *text, char code[7], char name[64]);
/* Loads the embedded GB/T 2260 divisions into an empty divisions table. */
int areas_load_divisions(struct dbc *c);

#endif
