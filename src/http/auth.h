/* Sign-in and who is asking: password hashing (argon2id), sessions in the
 * database (stored hashed, idle and absolute limits), device tokens, CSRF,
 * throttling of failed sign-ins. */
#ifndef CORDON_AUTH_H
#define CORDON_AUTH_H

#include <stddef.h>

#include "http.h"

#define AUTH_HASH_LEN 128 /* crypto_pwhash_STRBYTES */

/* Hashes a password with argon2id into out; 0 or ERR_NOMEM. */
int auth_hash_password(const char *password, char out[AUTH_HASH_LEN]);
/* 1 when password matches the stored hash. */
int auth_check_password(const char *hash, const char *password);
/* Validates a new password's length (8..128); 0 or ERR_INVALID on field. */
int auth_password_ok(const char *password, const char *field, struct err_info *ei);
/* Writes a random URL-safe token of `bytes` random bytes into out (size
 * at least bytes*2); the hash used to store it goes into hash_hex[65]. */
void auth_new_token(char *out, size_t outlen, size_t bytes);
void auth_token_hash(const char *token, char hash_hex[65]);

/* Identifies the principal of a request from its Bearer token or session
 * cookie. Returns 0 (r->authed says if anyone was found), ERR_AUTH for a bad
 * or revoked bearer token or an expired session, or a storage error. */
int auth_identify(struct req *r);
/* 0 when a cookie-session request carries the right X-CSRF-Token. */
int auth_check_csrf(struct req *r);

extern const struct route_table session_routes;

#endif
