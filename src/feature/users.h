/* Users and device tokens, managed by an admin inside the admin's own
 * scope: routes and the username rule. */
#ifndef CORDON_USERS_H
#define CORDON_USERS_H

#include "../http/http.h"

extern const struct route_table users_routes;

/* 1 if username is 3..32 characters of a-z, 0-9, '_', '.' or '-' (lower
 * case only), 0 otherwise (NULL included). */
int users_username_valid(const char *username);

/* Length of the token hint kept for a device token (its first characters). */
#define USERS_TOKEN_HINT_LEN 6

#endif
