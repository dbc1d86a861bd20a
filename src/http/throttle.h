/* Sign-in throttling (issue 9 §6, after OWASP's authentication guidance).
 * Only failures are counted, in the database (so several servers share the
 * count), on two keys:
 * - the (username, address) pair "p:<username>|<address>": from
 *   login_max_failures failures on, the pair is locked with growing delays;
 *   the owner signing in from an address that has not been failing is
 *   never refused;
 * - the address "a:<address>": one count for each username that starts
 *   failing from it, so login_max_failures_address usernames (password
 *   spraying) lock the address, and one person's typos behind a shared NAT
 *   do not.
 * Attempts being checked are counted apart, in this server's memory: a
 * key lets only as many attempts be checked at once as it has failures
 * left before its lock (at least one), the others wait for them. So N
 * wrong passwords sent at once get no more checks than sent one by one,
 * and correct passwords sent at once are all checked, never refused. */
#ifndef CORDON_THROTTLE_H
#define CORDON_THROTTLE_H

#include <stdint.h>

#include "http.h"

/* Seconds a key is locked after its failures-th failure: 0 below limit,
 * then 30 s doubling with each further failure, at most 15 minutes. */
int64_t throttle_lock_seconds(int64_t failures, int64_t limit);

/* How many attempts a key may have being checked at once with failures
 * counted: the failures left before the lock, at least one. */
int64_t throttle_slots(int64_t failures, int64_t limit);

/* The keys of one sign-in attempt (in r's arena). */
struct throttle_keys {
	const char *pair, *addr;
	int entered;
};
int throttle_keys_init(struct req *r, const char *username, struct throttle_keys *k);

/* Waits until the attempt may be checked: 0 entered (call throttle_leave
 * once the outcome is stored), 1 refused because the pair or the address is
 * locked (*wait seconds), <0 an error. */
int throttle_enter(struct req *r, struct throttle_keys *k, int64_t *wait);
void throttle_leave(struct throttle_keys *k);

/* Inside c's transaction: counts a failure of the pair, and of the address
 * when it is this username's first failure from it. */
void throttle_failed(struct dbc *c, const struct throttle_keys *k, int64_t now);
/* Inside c's transaction: a success forgets the pair's failures. */
int throttle_succeeded(struct dbc *c, const struct throttle_keys *k);

#endif
