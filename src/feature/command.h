/* The command structure (指挥部, DOMAIN.md §1): working groups, leaders,
 * responsible units and their assignments (包抓) to towns, sub-districts,
 * villages and communities; routes and the pure rules they use. */
#ifndef CORDON_COMMAND_H
#define CORDON_COMMAND_H

#include <stddef.h>

#include "../http/http.h"

extern const struct route_table command_routes;

/* Normalises a mainland mobile number: drops spaces and '-', then a leading
 * "+86", and checks the rest is 1[3-9] followed by 9 digits. Returns 1 with
 * the 11 digits (and a NUL) in out, 0 when it is not such a number (out is
 * then left empty). */
int command_phone_normalize(const char *in, char out[12]);
/* Writes the masked form of a phone into out (size n): the first 3 and last
 * 4 characters around "****" (138****5678); a phone of 7 characters or fewer
 * becomes "****". NULL gives "". Returns out. */
char *command_mask_phone(const char *phone, char *out, size_t n);
/* 1 if code is a working group code: 1..32 of letters, digits, '-' or '_'. */
int command_code_valid(const char *code);
/* 1 if leaders and responsible units may be assigned to a unit of this kind:
 * town, subdistrict, village or community. */
int command_assignable_kind(const char *kind);

#endif
