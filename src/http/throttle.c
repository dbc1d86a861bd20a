/* Sign-in throttling: failures counted per (username, address) pair and
 * per address in the database, attempts being checked counted in memory;
 * see throttle.h for the rules and why. */
#include "throttle.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/clock.h"
#include "server_internal.h"
#include "settings.h"

#define WINDOW (15 * 60) /* failures older than this are forgotten */

int64_t throttle_lock_seconds(int64_t failures, int64_t limit)
{
	if (failures < limit)
		return 0;
	int64_t shift = failures - limit;
	return shift >= 5 ? 900 : (int64_t)30 << shift;
}

int64_t throttle_slots(int64_t failures, int64_t limit)
{
	return limit - failures > 1 ? limit - failures : 1;
}

int throttle_keys_init(struct req *r, const char *username, struct throttle_keys *k)
{
	k->pair = arena_printf(&r->arena, "p:%s|%s", username, req_ip(r));
	k->addr = arena_printf(&r->arena, "a:%s", req_ip(r));
	k->entered = 0;
	return k->pair && k->addr ? 0 : ERR_NOMEM;
}

/* ---------- attempts being checked, in this server ---------- */

struct slot {
	struct slot *next;
	int n;
	char key[];
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static struct slot *slots; /* one per key with attempts being checked */

static struct slot **slot_find(const char *key)
{
	struct slot **s = &slots;
	while (*s && strcmp((*s)->key, key) != 0)
		s = &(*s)->next;
	return s;
}

static int slot_count(const char *key)
{
	struct slot *s = *slot_find(key);
	return s ? s->n : 0;
}

/* Adds delta to key's attempts being checked (mu held); a key with none
 * is dropped. */
static int slot_add(const char *key, int delta)
{
	struct slot **at = slot_find(key), *s = *at;
	if (!s) {
		size_t n = strlen(key) + 1;
		if (!(s = calloc(1, sizeof *s + n)))
			return ERR_NOMEM;
		memcpy(s->key, key, n);
		*at = s;
	}
	s->n += delta;
	if (s->n <= 0) {
		*at = s->next;
		free(s);
	}
	return 0;
}

/* ---------- failures, in the database ---------- */

struct key_state {
	int64_t failures, locked_until;
};

static int key_state(struct dbc *c, const char *key, int64_t now, struct key_state *st)
{
	st->failures = st->locked_until = 0;
	struct dbq *q = db_query(c,
				 "SELECT CASE WHEN first_at >= $2 THEN failures ELSE 0 END,"
				 " locked_until FROM login_failures WHERE key = $1",
				 "ti", key, now - WINDOW);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		st->failures = db_int(q, 0);
		st->locked_until = db_int(q, 1);
	}
	db_done(q);
	return rc < 0 ? rc : 0;
}

int throttle_enter(struct req *r, struct throttle_keys *k, int64_t *wait)
{
	struct dbc *c = req_reader(r);
	if (!c)
		return ERR_DB;
	int64_t plimit = settings_int(c, "login_max_failures");
	int64_t alimit = settings_int(c, "login_max_failures_address");
	int rc;
	pthread_mutex_lock(&mu);
	for (;;) {
		/* Read under the lock: an attempt leaves (throttle_leave) only
		 * after its failure is committed, so whoever takes its place
		 * reads that failure. */
		int64_t now = clock_now();
		struct key_state p, a;
		if ((rc = key_state(c, k->pair, now, &p)) || (rc = key_state(c, k->addr, now, &a)))
			break;
		if (p.locked_until > now || a.locked_until > now) {
			int64_t until = p.locked_until > a.locked_until ? p.locked_until : a.locked_until;
			*wait = until - now;
			rc = 1;
			break;
		}
		if (slot_count(k->pair) < throttle_slots(p.failures, plimit) &&
		    slot_count(k->addr) < throttle_slots(a.failures, alimit)) {
			if ((rc = slot_add(k->pair, 1)))
				break;
			if ((rc = slot_add(k->addr, 1))) {
				slot_add(k->pair, -1);
				break;
			}
			k->entered = 1;
			break;
		}
		/* Wait for an attempt of these keys to end; the timeout only
		 * re-reads the counts (a lock may have ended meanwhile). */
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		int w = pthread_cond_timedwait(&cv, &mu, &until);
		if (w && w != ETIMEDOUT) {
			rc = ERR_INTERNAL;
			break;
		}
	}
	pthread_mutex_unlock(&mu);
	return rc;
}

void throttle_leave(struct throttle_keys *k)
{
	if (!k->entered)
		return;
	pthread_mutex_lock(&mu);
	slot_add(k->pair, -1);
	slot_add(k->addr, -1);
	k->entered = 0;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

/* Counts a failure of key and locks it from the limit on; returns the
 * failures counted (0 when the count failed). */
static int64_t count_failure(struct dbc *c, const char *key, int64_t limit, int64_t now)
{
	/* One statement counts, so failures sent to several servers at once
	 * are all counted: a read-then-write would lose some. */
	static const char count[] =
		"INSERT INTO login_failures(key, failures, first_at, locked_until)"
		" VALUES ($1, 1, $2, 0) ON CONFLICT (key) DO UPDATE SET"
		" failures = CASE WHEN login_failures.first_at < $3 THEN 1"
		" ELSE login_failures.failures + 1 END,"
		" first_at = CASE WHEN login_failures.first_at < $3 THEN $2"
		" ELSE login_failures.first_at END"
		" RETURNING failures";
	int64_t failures = 0;
	if (db_one_int(c, &failures, count, "tii", key, now, now - WINDOW) != 1)
		return 0;
	int64_t lock = throttle_lock_seconds(failures, limit);
	if (lock)
		db_run(c,
		       "UPDATE login_failures SET locked_until = $2 WHERE key = $1"
		       " AND locked_until < $2",
		       "ti", key, now + lock);
	return failures;
}

void throttle_failed(struct dbc *c, const struct throttle_keys *k, int64_t now)
{
	int64_t n = count_failure(c, k->pair, settings_int(c, "login_max_failures"), now);
	/* The address counts usernames failing from it, not failures: one
	 * person's typos behind a NAT count once. */
	if (n == 1)
		count_failure(c, k->addr, settings_int(c, "login_max_failures_address"), now);
}

int throttle_succeeded(struct dbc *c, const struct throttle_keys *k)
{
	return db_run(c, "DELETE FROM login_failures WHERE key = $1", "t", k->pair) < 0 ? ERR_DB
											: 0;
}
