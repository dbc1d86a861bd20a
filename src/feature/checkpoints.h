/* Checkpoints (卡点, DOMAIN.md §2): road and rail checkpoints, 24-hour
 * shifts with sign-in and sign-out, road screening of vehicles and their
 * occupants, rail screening of trains, and the counts the bulletin reports.
 * Also the vehicle plate rules (GA 36-2018). */
#ifndef CORDON_CHECKPOINTS_H
#define CORDON_CHECKPOINTS_H

#include <stddef.h>
#include <stdint.h>

#include "../http/http.h"

extern const struct route_table checkpoints_routes;

struct plate {
	char number[64];     /* normalised: upper case, no spaces or dots, e.g. "宁A12345" */
	char province[48];   /* the province the plate belongs to, e.g. "宁夏回族自治区" */
	char province_code[7]; /* its GB/T 2260 code, e.g. "640000" */
	int new_energy;      /* 0 ordinary, 1 small new-energy, 2 large new-energy */
};

/* Validates a plate: a province character, a letter (no I or O), then 5
 * letters or digits (no I or O); or a new-energy plate of 8 characters with
 * D or F in the third place (small) or at the end (large). 0 with *out
 * filled, or ERR_INVALID naming field with what is wrong. */
int checkpoints_plate(const char *in, struct plate *out, const char *field, struct err_info *ei);

#endif
