/* Compound passes and the colour of a person; see passes.h. A token is
 * base64url(payload) "." base64url(Ed25519 signature of the payload), the
 * payload "C1|kid|pass|person|unit|issued|expires": short enough for a QR
 * code a phone camera reads at a gate. */
#include "passes.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/log.h"
#include "../http/scope.h"
#include "../http/settings.h"
#include "gates.h"
#include "isolation.h"
#include "people.h"

#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

int passes_token_sign(const struct pass_claims *c, const unsigned char sk[64], char *out,
		      size_t cap)
{
	char payload[160];
	int pl = snprintf(payload, sizeof payload, "C1|%s|%lld|%lld|%lld|%lld|%lld", c->kid,
			  (long long)c->pass_id, (long long)c->person_id, (long long)c->unit_id,
			  (long long)c->issued_at, (long long)c->expires_at);
	if (pl < 0 || (size_t)pl >= sizeof payload)
		return -1;
	unsigned char sig[crypto_sign_BYTES];
	crypto_sign_detached(sig, NULL, (const unsigned char *)payload, (size_t)pl, sk);
	size_t need = sodium_base64_ENCODED_LEN((size_t)pl, B64) +
		      sodium_base64_ENCODED_LEN(sizeof sig, B64);
	if (need + 1 > cap)
		return -1;
	sodium_bin2base64(out, cap, (const unsigned char *)payload, (size_t)pl, B64);
	size_t n = strlen(out);
	out[n++] = '.';
	sodium_bin2base64(out + n, cap - n, sig, sizeof sig, B64);
	return 0;
}

/* Splits a token into its decoded payload (NUL-terminated) and signature. */
static int split(const char *token, char *payload, size_t pcap, size_t *plen,
		 unsigned char sig[64])
{
	const char *dot = strchr(token, '.');
	if (!dot || strlen(token) > PASS_TOKEN_MAX)
		return -1;
	size_t bl = 0, sl = 0;
	if (sodium_base642bin((unsigned char *)payload, pcap - 1, token, (size_t)(dot - token),
			      NULL, &bl, NULL, B64) != 0)
		return -1;
	payload[bl] = 0;
	const char *end = NULL;
	if (sodium_base642bin(sig, 64, dot + 1, strlen(dot + 1), NULL, &sl, &end, B64) != 0 ||
	    sl != 64 || (end && *end))
		return -1;
	*plen = bl;
	return 0;
}

int passes_token_parse(const char *token, struct pass_claims *c, struct err_info *ei)
{
	char payload[200];
	size_t pl;
	unsigned char sig[64];
	if (!token || split(token, payload, sizeof payload, &pl, sig) != 0)
		return err_set(ei, ERR_INVALID, "token", "this is not a Cordon pass");
	if (strlen(payload) != pl)
		return err_set(ei, ERR_INVALID, "token", "this is not a Cordon pass");
	char kid[17];
	long long a, b, d, e, f;
	int used = 0;
	if (sscanf(payload, "C1|%16[^|]|%lld|%lld|%lld|%lld|%lld%n", kid, &a, &b, &d, &e, &f,
		   &used) != 6 ||
	    (size_t)used != pl || a <= 0 || b <= 0 || d <= 0)
		return err_set(ei, ERR_INVALID, "token", "this is not a Cordon pass");
	memset(c, 0, sizeof *c);
	memcpy(c->kid, kid, sizeof c->kid);
	c->pass_id = a;
	c->person_id = b;
	c->unit_id = d;
	c->issued_at = e;
	c->expires_at = f;
	return 0;
}

int passes_token_verify(const char *token, const unsigned char pk[32])
{
	char payload[200];
	size_t pl;
	unsigned char sig[64];
	if (!token || split(token, payload, sizeof payload, &pl, sig) != 0)
		return 0;
	return crypto_sign_verify_detached(sig, (const unsigned char *)payload, pl, pk) == 0;
}

const char *passes_colour(const struct colour_facts *f, char *reason, size_t cap)
{
	/* Red: a case, a suspect, a fever, a close contact under observation. */
	if (f->case_or_suspect) {
		snprintf(reason, cap, "confirmed or suspected case");
		return "red";
	}
	if (f->fever) {
		if (f->fever_day[0])
			snprintf(reason, cap, "fever %.1f °C on %s, not yet closed by a medic",
				 f->fever_tenths / 10.0, f->fever_day);
		else
			snprintf(reason, cap, "fever recorded");
		return "red";
	}
	if (f->close_contact_obs) {
		snprintf(reason, cap, "close contact under medical observation");
		return "red";
	}
	/* Yellow: under observation after travel, a general contact, or under
	 * observation with a temperature check missed. */
	if (f->travel_obs) {
		/* An isolation order for an arrival may be all there is: no
		 * graded arrival, so no end day to name. */
		if (f->obs_end[0])
			snprintf(reason, cap, "under observation after travel until %s%s", f->obs_end,
				 f->temp_missed ? "; temperature check missed" : "");
		else
			snprintf(reason, cap, "%s", f->temp_missed
							    ? "under observation after travel; temperature check missed"
							    : "under observation after travel");
		return "yellow";
	}
	if (f->general_contact) {
		snprintf(reason, cap, "%s", f->temp_missed
						    ? "general contact of a case; temperature check missed"
						    : "general contact of a case");
		return "yellow";
	}
	if (f->isolated) {
		snprintf(reason, cap, "%s", f->temp_missed
						    ? "under medical observation; temperature check missed"
						    : "under medical observation");
		return "yellow";
	}
	/* Green: what made it green when there is a record (obs_end is
	 * only set for a graded arrival, past by now). */
	if (f->obs_end[0])
		snprintf(reason, cap, "observation after travel ended on %s", f->obs_end);
	else if (f->fever_closed)
		snprintf(reason, cap, "fever followed up and closed by a medic");
	else
		snprintf(reason, cap, "no record against this person");
	return "green";
}

int passes_observation(const char *arrival_day, int obs_days, const char *today,
		       char end[DAY_LEN])
{
	char e[DAY_LEN];
	if (!arrival_day || !today || day_valid(today) || day_add(arrival_day, obs_days, e))
		return -1;
	if (end)
		memcpy(end, e, DAY_LEN);
	return strcmp(today, e) <= 0;
}

int passes_facts(struct dbc *c, int64_t person_id, const char *today, int obs_days,
		 struct colour_facts *f)
{
	memset(f, 0, sizeof *f);
	/* One statement for every fact: a gate reads them at each scan. The
	 * latest arrival graded for centralized or home observation decides
	 * the observation (passes_observation); the latest open fever is red
	 * until a medic closes it (fevers.c); a contact is observed through
	 * its end day (last exposure + 14) inclusive, as an arrival is. */
	struct dbq *q = db_query(
		c,
		"SELECT (SELECT MAX(arrival_date) FROM arrivals WHERE person_id = $1"
		" AND arrival_date <= $2 AND handling IN ('centralized', 'home')),"
		" (SELECT at FROM fevers WHERE person_id = $1 AND cleared_at IS NULL"
		" ORDER BY at DESC LIMIT 1),"
		" (SELECT temperature FROM fevers WHERE person_id = $1 AND cleared_at IS NULL"
		" ORDER BY at DESC LIMIT 1),"
		" EXISTS (SELECT 1 FROM fevers WHERE person_id = $1 AND cleared_at IS NOT NULL),"
		" EXISTS (SELECT 1 FROM temperature_marks WHERE person_id = $1 AND day = $2),"
		" EXISTS (SELECT 1 FROM cases WHERE person_id = $1"
		" AND status IN ('suspected', 'confirmed', 'asymptomatic')),"
		" EXISTS (SELECT 1 FROM contacts WHERE person_id = $1 AND decision = 'close'"
		" AND observation_end_day >= $2),"
		" EXISTS (SELECT 1 FROM contacts WHERE person_id = $1 AND decision = 'general'"
		" AND observation_end_day >= $2)",
		"it", person_id, today);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		const char *arr = db_text(q, 0);
		if (arr && *arr) {
			int in = passes_observation(arr, obs_days, today, f->obs_end);
			if (in < 0)
				f->obs_end[0] = 0;
			f->travel_obs = in == 1;
		}
		int64_t fat = db_int(q, 1);
		f->fever = fat != 0;
		if (f->fever) {
			clock_day(fat, f->fever_day);
			f->fever_tenths = (int)db_int(q, 2);
		}
		f->fever_closed = !f->fever && db_int(q, 3) != 0;
		f->marked_today = db_int(q, 4) != 0;
		f->case_or_suspect = db_int(q, 5) != 0;
		f->close_contact_obs = db_int(q, 6) != 0;
		f->general_contact = db_int(q, 7) != 0;
		f->temp_missed = f->travel_obs && !f->marked_today;
	}
	db_done(q);
	if (rc < 0)
		return rc;
	/* An active isolation order says why the person is observed, and its
	 * twice-daily checks (not the gate's mark) say whether one was missed;
	 * an open fever alert is a fever. */
	struct isolation_facts iso;
	if ((rc = isolation_colour_facts(c, person_id, today, &iso)))
		return rc;
	if (iso.fever_alert)
		f->fever = 1;
	if (iso.reason[0]) {
		f->isolated = 1;
		f->temp_missed = iso.missed;
		if (!strcmp(iso.reason, "case"))
			f->case_or_suspect = 1;
		else if (!strcmp(iso.reason, "fever") || !strcmp(iso.kind, "hospital"))
			f->fever = 1; /* sent to hospital for a fever */
		if (!strcmp(iso.reason, "close_contact"))
			f->close_contact_obs = 1;
		if (!strcmp(iso.reason, "arrival"))
			f->travel_obs = 1;
		if (!strcmp(iso.reason, "general_contact"))
			f->general_contact = 1;
	}
	return 0;
}


/* ---------- signing keys ---------- */

/* Keys are stored base64 (standard alphabet) in pass_keys; the database is
 * the keystore. Public keys are cached per process: a kid never changes its
 * key, so the cache can only miss, never be wrong, and a miss (a key made
 * by another server, or before this one started) reads the table. */
#define B64STD sodium_base64_VARIANT_ORIGINAL
#define KEY_CACHE 64

static struct {
	char kid[17];
	unsigned char pk[32];
} key_cache[KEY_CACHE];
static int key_count;
static pthread_rwlock_t key_lock = PTHREAD_RWLOCK_INITIALIZER;

static int cache_find(const char *kid, unsigned char pk[32])
{
	int found = 0;
	pthread_rwlock_rdlock(&key_lock);
	for (int i = 0; i < key_count; i++)
		if (strcmp(key_cache[i].kid, kid) == 0) {
			memcpy(pk, key_cache[i].pk, 32);
			found = 1;
			break;
		}
	pthread_rwlock_unlock(&key_lock);
	return found;
}

static void cache_add(const char *kid, const unsigned char pk[32])
{
	pthread_rwlock_wrlock(&key_lock);
	int i;
	for (i = 0; i < key_count; i++)
		if (strcmp(key_cache[i].kid, kid) == 0)
			break;
	if (i == key_count && key_count < KEY_CACHE) { /* full: the table still answers */
		snprintf(key_cache[i].kid, sizeof key_cache[i].kid, "%s", kid);
		memcpy(key_cache[i].pk, pk, 32);
		key_count++;
	}
	pthread_rwlock_unlock(&key_lock);
}

static int b64_exact(const char *s, unsigned char *out, size_t n)
{
	size_t got = 0;
	const char *end = NULL;
	if (!s || sodium_base642bin(out, n, s, strlen(s), NULL, &got, &end, B64STD) != 0 ||
	    got != n || (end && *end))
		return -1;
	return 0;
}

int passes_public_key(struct dbc *c, const char *kid, unsigned char pk[32])
{
	if (cache_find(kid, pk))
		return 1;
	struct dbq *q = db_query(c, "SELECT public_key FROM pass_keys WHERE kid = $1", "t", kid);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1)
		rc = b64_exact(db_text(q, 0), pk, 32) == 0 ? 1 : ERR_INTERNAL;
	db_done(q);
	if (rc == 1)
		cache_add(kid, pk);
	return rc;
}

/* Tokens whose signature has verified, per process. A resident shows the
 * same pass at every entry and exit, and an Ed25519 verification costs
 * more than the rest of a scan's checks together. An entry holds the whole
 * token, so a hit means these exact bytes verified before with the key
 * their kid names (a kid never changes its key): it can never accept a
 * token that would fail. Expiry and revocation are the pass record's and
 * are checked on every scan, outside this cache. 4-way set-associative by
 * a hash of the token, the oldest of a set replaced: 16,384 tokens, about
 * 5 MiB, the passes of a few dozen compounds' gates. */
#define VERIFIED_SETS 4096
#define VERIFIED_WAYS 4
#define VERIFIED_LOCKS 64

static struct verified {
	uint64_t hash;
	uint64_t used; /* a clock of the set's last hit or fill */
	unsigned short len;
	char token[PASS_TOKEN_MAX];
	struct pass_claims claims;
} *verified;
static pthread_mutex_t verified_lock[VERIFIED_LOCKS];
static pthread_once_t verified_once = PTHREAD_ONCE_INIT;
static uint64_t verified_clock;

static void verified_init(void)
{
	for (int i = 0; i < VERIFIED_LOCKS; i++)
		pthread_mutex_init(&verified_lock[i], NULL);
	/* NULL: no cache, every token verified */
	verified = calloc((size_t)VERIFIED_SETS * VERIFIED_WAYS, sizeof *verified);
}

static uint64_t token_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static int verified_find(const char *token, size_t n, uint64_t h, struct pass_claims *claims)
{
	if (!verified)
		return 0;
	size_t set = h % VERIFIED_SETS;
	pthread_mutex_t *mu = &verified_lock[set % VERIFIED_LOCKS];
	int hit = 0;
	pthread_mutex_lock(mu);
	struct verified *v = &verified[set * VERIFIED_WAYS];
	for (int i = 0; i < VERIFIED_WAYS && !hit; i++) {
		if (v[i].len == n && v[i].hash == h && memcmp(v[i].token, token, n) == 0) {
			*claims = v[i].claims;
			v[i].used = __atomic_add_fetch(&verified_clock, 1, __ATOMIC_RELAXED);
			hit = 1;
		}
	}
	pthread_mutex_unlock(mu);
	return hit;
}

static void verified_add(const char *token, size_t n, uint64_t h, const struct pass_claims *claims)
{
	if (!verified)
		return;
	size_t set = h % VERIFIED_SETS;
	pthread_mutex_t *mu = &verified_lock[set % VERIFIED_LOCKS];
	pthread_mutex_lock(mu);
	struct verified *v = &verified[set * VERIFIED_WAYS], *old = v;
	for (int i = 1; i < VERIFIED_WAYS; i++)
		if (v[i].used < old->used)
			old = &v[i];
	old->hash = h;
	old->used = __atomic_add_fetch(&verified_clock, 1, __ATOMIC_RELAXED);
	old->len = (unsigned short)n;
	memcpy(old->token, token, n);
	old->claims = *claims;
	pthread_mutex_unlock(mu);
}

int passes_check_token(struct dbc *c, const char *token, struct pass_claims *claims)
{
	if (!token)
		return 0;
	pthread_once(&verified_once, verified_init);
	size_t n = strlen(token);
	uint64_t h = n < PASS_TOKEN_MAX ? token_hash(token, n) : 0;
	if (n < PASS_TOKEN_MAX && verified_find(token, n, h, claims))
		return 1;
	struct err_info ei;
	if (passes_token_parse(token, claims, &ei))
		return 0;
	unsigned char pk[32];
	int rc = passes_public_key(c, claims->kid, pk);
	if (rc <= 0)
		return rc;
	rc = passes_token_verify(token, pk);
	if (rc == 1 && n < PASS_TOKEN_MAX)
		verified_add(token, n, h, claims);
	return rc;
}

/* ---------- the key file: signing keys sealed at rest ---------- */

/* The secret halves of the signing keys are not kept readable in the
 * database: whoever holds a copy of it (a backup, a replica, a dump) could
 * sign passes every gate accepts. They are stored sealed ("sealed1:" +
 * base64 of nonce and crypto_secretbox) with a 32-byte key from a file
 * outside the database (0600; cordon serve --key-file, default next to the
 * database). Set once at start-up, before any thread reads it. */
#define SEALED_PREFIX "sealed1:"
static unsigned char wrap_key[crypto_secretbox_KEYBYTES];
static int wrap_loaded;
static char wrap_path[4096];

const char *passes_key_path(void) { return wrap_loaded ? wrap_path : NULL; }

static int read_key_file(const char *path, struct err_info *ei)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	char text[128];
	ssize_t n = fstat(fd, &st) == 0 ? read(fd, text, sizeof text - 1) : -1;
	close(fd);
	if (n < 0)
		return err_set(ei, ERR_INVALID, "key_file", "cannot read %s", path);
	if (st.st_mode & 077)
		return err_set(ei, ERR_INVALID, "key_file",
			       "%s is readable by others: chmod 600 it (it signs passes)", path);
	text[n] = 0;
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
		text[--n] = 0;
	if (b64_exact(text, wrap_key, sizeof wrap_key))
		return err_set(ei, ERR_INVALID, "key_file", "%s is not a cordon key file", path);
	sodium_memzero(text, sizeof text);
	return 0;
}

int passes_key_file(const char *path, struct err_info *ei)
{
	if (snprintf(wrap_path, sizeof wrap_path, "%s", path) >= (int)sizeof wrap_path)
		return err_set(ei, ERR_INVALID, "key_file", "the path is too long");
	int rc = read_key_file(path, ei);
	if (rc == -ENOENT) {
		/* A new key, written whole under another name and linked into
		 * place: two servers starting at once end with the same key. */
		unsigned char k[crypto_secretbox_KEYBYTES];
		char b64[sodium_base64_ENCODED_LEN(sizeof k, B64STD)], tmp[4200];
		crypto_secretbox_keygen(k);
		sodium_bin2base64(b64, sizeof b64, k, sizeof k, B64STD);
		sodium_memzero(k, sizeof k);
		snprintf(tmp, sizeof tmp, "%s", path);
		char *slash = strrchr(tmp, '/');
		if (slash && slash != tmp) { /* var/ of a fresh checkout */
			*slash = 0;
			if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
				return err_set(ei, ERR_INVALID, "key_file", "cannot create %s: %s", tmp,
					       strerror(errno));
		}
		snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		size_t len = strlen(b64);
		int ok = fd >= 0 && write(fd, b64, len) == (ssize_t)len && write(fd, "\n", 1) == 1 &&
			 fsync(fd) == 0;
		if (fd >= 0)
			close(fd);
		sodium_memzero(b64, sizeof b64);
		if (ok && link(tmp, path) != 0 && errno != EEXIST)
			ok = 0;
		unlink(tmp);
		if (!ok)
			return err_set(ei, ERR_INVALID, "key_file", "cannot create %s: %s", path,
				       strerror(errno));
		rc = read_key_file(path, ei);
	}
	if (rc < 0 && rc > -4096)
		return err_set(ei, ERR_INVALID, "key_file", "cannot read %s: %s", path, strerror(-rc));
	if (rc)
		return rc;
	wrap_loaded = 1;
	return 0;
}

int passes_seal_secret(const unsigned char sk[64], char *out, size_t cap)
{
	if (!wrap_loaded) /* no key file (unit tests, tools): as before */
		return sodium_bin2base64(out, cap, sk, 64, B64STD) ? 0 : -1;
	unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 64];
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, sk, 64, box, wrap_key);
	size_t pl = strlen(SEALED_PREFIX);
	if (cap < pl + sodium_base64_ENCODED_LEN(sizeof box, B64STD))
		return -1;
	memcpy(out, SEALED_PREFIX, pl);
	sodium_bin2base64(out + pl, cap - pl, box, sizeof box, B64STD);
	return 0;
}

/* The secret key from its stored form (sealed, or plain from before the key
 * file); -1 when it cannot be opened (no or another key file). */
static int secret_open(const char *stored, unsigned char sk[64])
{
	size_t pl = strlen(SEALED_PREFIX);
	if (!stored)
		return -1;
	if (strncmp(stored, SEALED_PREFIX, pl) != 0)
		return b64_exact(stored, sk, 64);
	unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 64];
	if (!wrap_loaded || b64_exact(stored + pl, box, sizeof box) ||
	    crypto_secretbox_open_easy(sk, box + crypto_secretbox_NONCEBYTES,
				       sizeof box - crypto_secretbox_NONCEBYTES, box, wrap_key) != 0)
		return -1;
	return 0;
}

int passes_seal_keys(struct dbc *c, int *sealed)
{
	*sealed = 0;
	if (!wrap_loaded)
		return 0;
	struct dbq *q = db_query(c, "SELECT kid, secret_key FROM pass_keys"
				    " WHERE secret_key NOT LIKE 'sealed%'", "");
	if (!q)
		return ERR_DB;
	struct {
		char kid[17];
		char sealed[256];
	} k[64];
	int n = 0, rc;
	while (n < 64 && (rc = db_step(q)) == 1) {
		unsigned char sk[64];
		if (b64_exact(db_text(q, 1), sk, 64) == 0 &&
		    passes_seal_secret(sk, k[n].sealed, sizeof k[n].sealed) == 0) {
			snprintf(k[n].kid, sizeof k[n].kid, "%s", db_text(q, 0));
			n++;
		}
		sodium_memzero(sk, sizeof sk);
	}
	db_done(q);
	for (int i = 0; i < n; i++) {
		if (db_run(c, "UPDATE pass_keys SET secret_key = $2 WHERE kid = $1", "tt", k[i].kid,
			   k[i].sealed) < 0)
			return ERR_DB;
		(*sealed)++;
	}
	return 0;
}

/* Makes a signing key: kid "k" + local day + 6 random hex digits. */
static int new_key(struct dbc *c, int64_t now, char kid[17], unsigned char sk[64])
{
	unsigned char pk[32], rnd[3];
	crypto_sign_keypair(pk, sk);
	randombytes_buf(rnd, sizeof rnd);
	char day[DAY_LEN];
	clock_day(now, day);
	snprintf(kid, 17, "k%.4s%.2s%.2s%02x%02x%02x", day, day + 5, day + 8, rnd[0], rnd[1],
		 rnd[2]);
	char pk64[sodium_base64_ENCODED_LEN(32, B64STD)];
	char sk64[256];
	sodium_bin2base64(pk64, sizeof pk64, pk, 32, B64STD);
	if (passes_seal_secret(sk, sk64, sizeof sk64))
		return ERR_INTERNAL;
	int64_t n = db_run(c,
			   "INSERT INTO pass_keys(kid, public_key, secret_key, created_at)"
			   " VALUES ($1, $2, $3, $4)",
			   "ttti", kid, pk64, sk64, now);
	sodium_memzero(sk64, sizeof sk64);
	if (n < 0)
		return (int)n;
	cache_add(kid, pk);
	return 0;
}

/* The key new passes are signed with: the newest one not retired, made on
 * first need. Read from the table every time, so a rotation on another
 * server takes effect here at once. */
static int signing_key(struct dbc *c, int64_t now, char kid[17], unsigned char sk[64])
{
	struct dbq *q = db_query(c,
				 "SELECT kid, secret_key FROM pass_keys WHERE retired_at IS NULL"
				 " ORDER BY created_at DESC, kid DESC LIMIT 1",
				 "");
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		snprintf(kid, 17, "%s", db_text(q, 0));
		if (secret_open(db_text(q, 1), sk)) {
			/* Sealed with another key file (a database moved without
			 * it): new passes get a new key; passes already issued
			 * still verify with their public keys. */
			log_warn("pass key %s cannot be opened with the key file %s: a new signing"
				 " key is made", kid, wrap_loaded ? wrap_path : "(none)");
			rc = 2;
		}
	}
	db_done(q);
	if (rc == 2 && db_run(c, "UPDATE pass_keys SET retired_at = $2 WHERE kid = $1", "ti", kid,
			      now) < 0)
		return ERR_DB;
	if (rc < 0)
		return rc;
	return rc == 1 ? 0 : new_key(c, now, kid, sk);
}

int passes_issue(struct dbc *c, int64_t person_id, int64_t unit_id, int days, int64_t created_by,
		 int64_t now, int64_t *id, char *token, int64_t *expires_at)
{
	struct pass_claims cl = {.person_id = person_id, .unit_id = unit_id, .issued_at = now};
	unsigned char sk[64];
	int rc = signing_key(c, now, cl.kid, sk);
	if (rc)
		return rc;
	/* Valid through the local day `days` after today. */
	char today[DAY_LEN], end[DAY_LEN];
	clock_day(now, today);
	if (day_add(today, days + 1, end)) {
		sodium_memzero(sk, sizeof sk);
		return ERR_INTERNAL;
	}
	cl.expires_at = day_start(end);
	rc = PEOPLE_INSERT_ID(c, &cl.pass_id,
			      "INSERT INTO passes(person_id, unit_id, kid, issued_at, expires_at,"
			      " created_by) VALUES ($1, $2, $3, $4, $5, $6)",
			      "iitiiI", person_id, unit_id, cl.kid, now, cl.expires_at, created_by);
	if (rc == 1)
		rc = passes_token_sign(&cl, sk, token, PASS_TOKEN_MAX + 1) ? ERR_INTERNAL : 0;
	else if (rc == 0)
		rc = ERR_DB;
	sodium_memzero(sk, sizeof sk);
	if (rc)
		return rc;
	*id = cl.pass_id;
	*expires_at = cl.expires_at;
	return 0;
}

int passes_token_of(struct dbc *c, int64_t pass_id, char *token)
{
	struct dbq *q = db_query(c,
				 "SELECT p.person_id, p.unit_id, p.kid, p.issued_at, p.expires_at,"
				 " k.secret_key FROM passes p JOIN pass_keys k ON k.kid = p.kid"
				 " WHERE p.id = $1",
				 "i", pass_id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		struct pass_claims cl = {.pass_id = pass_id,
					 .person_id = db_int(q, 0),
					 .unit_id = db_int(q, 1),
					 .issued_at = db_int(q, 3),
					 .expires_at = db_int(q, 4)};
		snprintf(cl.kid, sizeof cl.kid, "%s", db_text(q, 2));
		unsigned char sk[64];
		if (secret_open(db_text(q, 5), sk) ||
		    passes_token_sign(&cl, sk, token, PASS_TOKEN_MAX + 1))
			rc = ERR_INTERNAL;
		sodium_memzero(sk, sizeof sk);
	}
	db_done(q);
	return rc;
}

/* ---------- the QR code ---------- */

char *passes_qr_svg(const char *text, int px)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return NULL;
	const int quiet = 4, w = qr->width, n = w + 2 * quiet;
	struct buf b = {0};
	buf_printf(&b,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
		   " viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
		   "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><g fill=\"#000\">",
		   n * px, n * px, n, n, n, n);
	for (int y = 0; y < w; y++) {
		const unsigned char *row = qr->data + (size_t)y * (size_t)w;
		for (int x = 0; x < w;) {
			if (!(row[x] & 1)) {
				x++;
				continue;
			}
			int x0 = x;
			while (x < w && (row[x] & 1))
				x++;
			buf_printf(&b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"1\"/>",
				   x0 + quiet, y + quiet, x - x0);
		}
	}
	buf_puts(&b, "</g></svg>\n");
	QRcode_free(qr);
	if (b.oom) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b, NULL);
}

/* ---------- routes ---------- */

static int create_pass(struct req *r);
static int list_passes(struct req *r);
static int pass_qr(struct req *r);
static int pass_card(struct req *r);
static int revoke_pass(struct req *r);
static int rotate_keys(struct req *r);
static int list_keys(struct req *r);
static int person_colour(struct req *r);

static const struct route routes[] = {
	{"POST", "/api/v1/passes", create_pass, P_PASSES_WRITE, 0, ROUTE_IDEMPOTENT,
	 "issue a signed pass to a resident for their compound"},
	{"GET", "/api/v1/passes", list_passes, P_PEOPLE_READ, 0, 0,
	 "passes in scope by compound, person, status"},
	{"GET", "/api/v1/passes/{id}/qr.svg", pass_qr, P_PASSES_WRITE, 0, 0,
	 "the QR code of a pass's token (SVG)"},
	{"GET", "/api/v1/passes/{id}/card", pass_card, P_PASSES_WRITE, 0, 0,
	 "a printable pass card (HTML)"},
	{"POST", "/api/v1/passes/{id}/revoke", revoke_pass, P_PASSES_WRITE, 0, ROUTE_IDEMPOTENT,
	 "revoke a pass: gates refuse it from now on"},
	{"POST", "/api/v1/pass-keys/rotate", rotate_keys, P_SETTINGS_ADMIN, 0, 0,
	 "a new signing key; older keys keep verifying until their passes expire"},
	{"GET", "/api/v1/pass-keys", list_keys, P_SETTINGS_ADMIN, 0, 0,
	 "the signing keys (never their secrets) with the passes each still verifies"},
	{"GET", "/api/v1/persons/{id}/colour", person_colour, P_PEOPLE_READ, 0, 0,
	 "a person's pass colour as a gate would compute it now"},
};
ROUTE_TABLE(passes_routes, routes);

#define PASS_COLS                                                                        \
	"SELECT p.id, p.person_id, pe.name, p.unit_id, u.name, p.kid, p.issued_at,"    \
	" p.expires_at, p.revoked_at, p.revoked_reason, p.created_by FROM passes p"     \
	" JOIN persons pe ON pe.id = p.person_id JOIN units u ON u.id = p.unit_id"

static const char *pass_status(int64_t expires_at, int revoked, int64_t now)
{
	return revoked ? "revoked" : expires_at <= now ? "expired" : "active";
}

static json_t *pass_row(struct dbq *q)
{
	int64_t exp = db_int(q, 7);
	char until[DAY_LEN];
	clock_day(exp - 1, until);
	return json_pack("{s:I,s:I,s:s,s:I,s:s,s:s,s:I,s:I,s:s,s:o,s:o,s:s,s:o}", "id",
			 (json_int_t)db_int(q, 0), "person_id", (json_int_t)db_int(q, 1),
			 "person_name", db_text(q, 2), "unit_id", (json_int_t)db_int(q, 3),
			 "unit_name", db_text(q, 4), "kid", db_text(q, 5), "issued_at",
			 (json_int_t)db_int(q, 6), "expires_at", (json_int_t)exp, "valid_until",
			 until, "revoked_at", jx_col_int(q, 8), "revoked_reason",
			 jx_text_or_null(db_text(q, 9)), "status",
			 pass_status(exp, !db_null(q, 8), clock_now()), "created_by",
			 jx_col_int(q, 10));
}

/* Loads one pass (NULL with *rc 0 when absent). */
static json_t *load_pass(struct dbc *c, int64_t id, int *rc)
{
	struct dbq *q = db_query(c, PASS_COLS " WHERE p.id = $1", "i", id);
	*rc = 0;
	if (!q) {
		*rc = ERR_DB;
		return NULL;
	}
	int s = db_step(q);
	json_t *p = s == 1 ? pass_row(q) : NULL;
	if (s < 0)
		*rc = s;
	else if (s == 1 && !p)
		*rc = ERR_NOMEM;
	db_done(q);
	return p;
}

/* The pass of the path's {id} within scope (write: 403 outside, read: 404). */
static json_t *pass_in_scope(struct req *r, struct dbc *c, int write, int64_t *id, int *rc)
{
	if ((*rc = req_param_id(r, "id", id)))
		return NULL;
	json_t *p = load_pass(c, *id, rc);
	if (!p) {
		if (!*rc)
			*rc = err_set(&r->err, ERR_NOT_FOUND, "", "no such pass");
		return NULL;
	}
	int64_t unit = json_integer_value(json_object_get(p, "unit_id"));
	if ((*rc = scope_check(r, unit, write, "pass"))) {
		json_decref(p);
		return NULL;
	}
	return p;
}

/* Where a person is: *unit their unit, *compound the compound they are
 * located in (their unit when it is a compound, its parent for a
 * building; 0 when not located in one), *merged whether the record was
 * merged into another. 1 found, ERR_INVALID (person_id) no such person,
 * <0 error. */
static int person_compound(struct req *r, struct dbc *c, int64_t person, int64_t *unit,
			   int64_t *compound, int *merged)
{
	struct dbq *q = db_query(c,
				 "SELECT pe.unit_id, pe.located, pe.merged_into, u.kind, u.parent_id"
				 " FROM persons pe JOIN units u ON u.id = pe.unit_id WHERE pe.id = $1",
				 "i", person);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	*compound = 0;
	*merged = 0;
	if (rc == 1) {
		*unit = db_int(q, 0);
		*merged = !db_null(q, 2);
		const char *kind = db_text(q, 3);
		if (db_int(q, 1) && strcmp(kind, "compound") == 0)
			*compound = db_int(q, 0);
		else if (db_int(q, 1) && strcmp(kind, "building") == 0 && !db_null(q, 4))
			*compound = db_int(q, 4);
	}
	db_done(q);
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, "person_id", "no such person");
	return rc < 0 ? rc : 1;
}

static int create_pass(struct req *r)
{
	int64_t person = 0, days = 0;
	int has_days = 0;
	int rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "person_id", 1, 0, &person, NULL);
	if (!rc)
		rc = jx_int(r, r->json, "days", 0, 1, 365, &days, &has_days);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t unit = 0, compound = 0;
	int merged = 0;
	if ((rc = person_compound(r, c, person, &unit, &compound, &merged)) < 0)
		return rc;
	if ((rc = scope_contains(c, r->who.scope_unit_id, unit)) < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_FORBIDDEN, "person_id",
			       "the person is outside your area (scope)");
	if (merged)
		return err_set(&r->err, ERR_RULE, "person_id",
			       "this record was merged into another; issue the pass to that one");
	if (!compound)
		return err_set(&r->err, ERR_RULE, "person_id",
			       "the person is not located in a compound: place them in their"
			       " compound first");
	if ((rc = scope_contains(c, r->who.scope_unit_id, compound)) < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_FORBIDDEN, "person_id",
			       "the person's compound is outside your area (scope)");
	if (!has_days)
		days = settings_int(c, "pass_days");
	int64_t now = clock_now(), id = 0, expires = 0;
	char token[PASS_TOKEN_MAX + 1];
	if ((rc = passes_issue(c, person, compound, (int)days, r->who.user_id, now, &id, token,
			       &expires)))
		return rc;
	json_t *p = load_pass(c, id, &rc);
	if (!p)
		return rc ? rc : ERR_DB;
	json_object_set_new(p, "token", json_string(token));
	req_audit_record(r, "pass", id);
	return resp_json(r, 201, p);
}

static const struct list_col pass_export[] = {
	{"id", "编号"},         {"person_id", "人员编号"}, {"person_name", "姓名"},
	{"unit_id", "小区编号"}, {"unit_name", "小区"},     {"issued_at", "签发时间"},
	{"valid_until", "有效期至"}, {"status", "状态"},    {"revoked_reason", "撤销原因"},
	{0, 0},
};

static int list_passes(struct req *r)
{
	struct page pg;
	int64_t unit = 0, person = 0;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "unit_id", 1, INT64_MAX, 0, &unit);
	if (!rc)
		rc = req_query_int(r, "person_id", 1, INT64_MAX, 0, &person);
	if (rc)
		return rc;
	const char *status = req_query(r, "status");
	if (!status)
		status = "";
	if (*status && strcmp(status, "active") && strcmp(status, "expired") &&
	    strcmp(status, "revoked"))
		return err_set(&r->err, ERR_INVALID, "status", "must be active, expired or revoked");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	/* Newest first: the cursor is the last id seen. */
	static const char sql[] =
		PASS_COLS " WHERE " SCOPE_SQL("p.unit_id", "1") " AND p.id < $2"
		" AND ($3 = 0 OR p.unit_id IN (SELECT unit_id FROM unit_tree WHERE ancestor_id = $3))"
		" AND ($4 = 0 OR p.person_id = $4)"
		" AND ($5 = '' OR ($5 = 'revoked' AND p.revoked_at IS NOT NULL)"
		" OR ($5 = 'expired' AND p.revoked_at IS NULL AND p.expires_at <= $6)"
		" OR ($5 = 'active' AND p.revoked_at IS NULL AND p.expires_at > $6))"
		" ORDER BY p.id DESC LIMIT $7";
	struct dbq *q = db_query(c, sql, "iiiitii", r->who.scope_unit_id,
				 pg.after ? pg.after : INT64_MAX, unit, person, status, clock_now(),
				 pg.limit + 1);
	return resp_query_list(r, &pg, q, pass_row, pass_export, "passes");
}

static int pass_qr(struct req *r)
{
	int64_t id;
	int rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	json_t *p = pass_in_scope(r, c, 0, &id, &rc);
	if (!p)
		return rc;
	json_decref(p);
	char token[PASS_TOKEN_MAX + 1];
	if ((rc = passes_token_of(c, id, token)) <= 0)
		return rc ? rc : ERR_DB;
	char *svg = passes_qr_svg(token, 8);
	if (!svg)
		return err_set(&r->err, ERR_NOMEM, "", "cannot render the QR code");
	return resp_raw(r, 200, "image/svg+xml", svg, strlen(svg));
}

static void html_text(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '&': buf_puts(b, "&amp;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_append(b, s, 1);
		}
	}
}

static int pass_card(struct req *r)
{
	int64_t id;
	int rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	json_t *p = pass_in_scope(r, c, 0, &id, &rc);
	if (!p)
		return rc;
	char token[PASS_TOKEN_MAX + 1];
	char *svg = NULL;
	if ((rc = passes_token_of(c, id, token)) == 1)
		svg = passes_qr_svg(token, 6);
	if (!svg) {
		json_decref(p);
		return rc < 0 ? rc : err_set(&r->err, ERR_NOMEM, "", "cannot render the QR code");
	}
	/* The compound's parent (community or village) helps the guard. */
	int64_t unit = json_integer_value(json_object_get(p, "unit_id"));
	struct dbq *q = db_query(c,
				 "SELECT u.name FROM units k JOIN units u ON u.id = k.parent_id"
				 " WHERE k.id = $1",
				 "i", unit);
	char parent[256] = "";
	if (q && db_step(q) == 1)
		snprintf(parent, sizeof parent, "%s", db_text(q, 0));
	db_done(q);
	char issued[DAY_LEN];
	clock_day(json_integer_value(json_object_get(p, "issued_at")), issued);
	const char *status = json_string_value(json_object_get(p, "status"));
	struct buf b = {0};
	buf_puts(&b, "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
		     "<title>出入证 ");
	html_text(&b, json_string_value(json_object_get(p, "person_name")));
	buf_puts(&b, "</title><style>"
		     "@page{size:A6;margin:8mm}"
		     "body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;margin:0}"
		     ".card{width:90mm;margin:6mm auto;border:2px solid #222;border-radius:4mm;"
		     "padding:5mm;text-align:center}"
		     "h1{font-size:7mm;margin:0 0 2mm}h1 small{display:block;font-size:3.5mm;color:#555}"
		     ".name{font-size:8mm;font-weight:bold;margin:2mm 0}"
		     ".place{font-size:4.5mm}.qr svg{width:60mm;height:60mm}"
		     ".until{font-size:5mm;font-weight:bold}.meta{font-size:3mm;color:#555}"
		     ".void{color:#b00;font-size:7mm;font-weight:bold;border:2px solid #b00;margin:2mm}"
		     "@media print{.noprint{display:none}}"
		     "</style></head><body><div class=\"card\">"
		     "<h1>小区出入证<small>Compound pass</small></h1>"
		     "<div class=\"place\">");
	if (*parent) {
		html_text(&b, parent);
		buf_puts(&b, " · ");
	}
	html_text(&b, json_string_value(json_object_get(p, "unit_name")));
	buf_puts(&b, "</div><div class=\"name\">");
	html_text(&b, json_string_value(json_object_get(p, "person_name")));
	buf_puts(&b, "</div>");
	if (strcmp(status, "active") != 0)
		buf_printf(&b, "<div class=\"void\">%s</div>",
			   strcmp(status, "revoked") == 0 ? "已撤销 REVOKED" : "已过期 EXPIRED");
	buf_puts(&b, "<div class=\"qr\">");
	buf_puts(&b, svg);
	buf_printf(&b,
		   "</div><div class=\"until\">有效期至 %s</div>"
		   "<div class=\"meta\">valid until %s · 签发 issued %s · 编号 No. %lld</div>"
		   "<p class=\"meta\">每日测温 · 出入扫码 · 凭证仅限本人本小区使用</p>"
		   "</div></body></html>\n",
		   json_string_value(json_object_get(p, "valid_until")),
		   json_string_value(json_object_get(p, "valid_until")), issued, (long long)id);
	free(svg);
	json_decref(p);
	if (b.oom) {
		buf_free(&b);
		return err_set(&r->err, ERR_NOMEM, "", "out of memory");
	}
	size_t len;
	char *html = buf_take(&b, &len);
	return resp_raw(r, 200, "text/html; charset=utf-8", html, len);
}

static int revoke_pass(struct req *r)
{
	const char *reason = NULL;
	int rc = 0;
	if (r->body_len) {
		rc = req_json(r);
		if (!rc)
			rc = jx_str(r, r->json, "reason", 0, 200, &reason, NULL);
		if (rc)
			return rc;
	}
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t id;
	json_t *p = pass_in_scope(r, c, 1, &id, &rc);
	if (!p)
		return rc;
	int already = !json_is_null(json_object_get(p, "revoked_at"));
	json_decref(p);
	if (!already) { /* revoking twice keeps the first time and reason */
		int64_t n = db_run(c,
				   "UPDATE passes SET revoked_at = $1, revoked_reason = $2"
				   " WHERE id = $3 AND revoked_at IS NULL",
				   "iti", clock_now(), reason && *reason ? reason : NULL, id);
		if (n < 0)
			return (int)n;
	}
	if (!(p = load_pass(c, id, &rc)))
		return rc ? rc : ERR_DB;
	req_audit_record(r, "pass", id);
	return resp_json(r, 200, p);
}

static int rotate_keys(struct req *r)
{
	/* Every gate of the district verifies with these keys. */
	int rc0 = scope_district_wide(r);
	if (rc0)
		return rc0;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t now = clock_now();
	int64_t retired = db_run(c, "UPDATE pass_keys SET retired_at = $1 WHERE retired_at IS NULL",
				 "i", now);
	if (retired < 0)
		return (int)retired;
	char kid[17];
	unsigned char sk[64];
	int rc = new_key(c, now, kid, sk);
	sodium_memzero(sk, sizeof sk);
	if (rc)
		return rc;
	r->audit_detail = arena_printf(&r->arena, "new key %s; %lld retired", kid,
				       (long long)retired);
	req_audit_record(r, "pass_key", 0);
	return resp_json(r, 201, json_pack("{s:s,s:I,s:I}", "kid", kid, "created_at",
					   (json_int_t)now, "retired", (json_int_t)retired));
}

static const struct list_col key_export[] = {
	{"kid", "密钥编号"},        {"status", "状态"},         {"created_at", "创建时间"},
	{"retired_at", "停用时间"}, {"active_passes", "有效通行证"}, {"valid_until", "验证至"},
	{0, 0},
};

/* The keys in use first (the signing key is the newest not retired, as
 * signing_key picks it), then the retired ones, newest first: two keys can
 * share a second, and a key retired later was made later. Only kids and
 * times leave: the secret keys stay in the table. The pass count and
 * last expiry are of live passes in the caller's scope, read once. */
static int list_keys(struct req *r)
{
	static const char sql[] =
		"SELECT k.kid, k.created_at, k.retired_at, COUNT(p.id), MAX(p.expires_at)"
		" FROM pass_keys k LEFT JOIN passes p ON p.kid = k.kid AND p.revoked_at IS NULL"
		" AND p.expires_at > $2 AND " SCOPE_SQL("p.unit_id", "1")
		" GROUP BY k.kid, k.created_at, k.retired_at"
		" ORDER BY CASE WHEN k.retired_at IS NULL THEN 0 ELSE 1 END,"
		" k.created_at DESC, k.retired_at DESC, k.kid DESC";
	struct page pg;
	int rc = req_page(r, &pg);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, sql, "ii", r->who.scope_unit_id, clock_now());
	if (!q)
		return ERR_DB;
	json_t *items = json_array();
	int signing = 0;
	while ((rc = db_step(q)) == 1) {
		int retired = !db_null(q, 2), is_signing = !retired && !signing;
		signing |= is_signing;
		char until[DAY_LEN] = "";
		if (!db_null(q, 4))
			clock_day(db_int(q, 4) - 1, until); /* as a pass's valid_until */
		json_t *o = json_pack("{s:s,s:I,s:o,s:b,s:s,s:I,s:o,s:o}", "kid", db_text(q, 0),
				      "created_at", (json_int_t)db_int(q, 1), "retired_at",
				      jx_col_int(q, 2), "signing", is_signing, "status",
				      is_signing ? "signing" : retired ? "retired" : "unused",
				      "active_passes", (json_int_t)db_int(q, 3),
				      "last_expires_at", jx_col_int(q, 4), "valid_until",
				      *until ? json_string(until) : json_null());
		if (!o || json_array_append_new(items, o)) {
			rc = ERR_NOMEM;
			break;
		}
	}
	db_done(q);
	if (rc < 0 || !items) {
		json_decref(items);
		return rc < 0 ? rc : ERR_NOMEM;
	}
	if (pg.export)
		return resp_list(r, &pg, items, 0, key_export, "pass-keys");
	return resp_json(r, 200, json_pack("{s:o}", "items", items));
}

static int person_colour(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t unit = 0;
	rc = db_one_int(c, &unit, "SELECT unit_id FROM persons WHERE id = $1", "i", id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such person");
	if ((rc = scope_check(r, unit, 0, "person")))
		return rc;
	char today[DAY_LEN], why[128];
	clock_day(clock_now(), today);
	struct colour_facts f;
	if ((rc = passes_facts(c, id, today, (int)settings_int(c, "observation_days"), &f)))
		return rc;
	const char *colour = passes_colour(&f, why, sizeof why);
	/* The person card shows the observation's end and an open fever beside
	 * the colour. */
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:b}", "person_id", (json_int_t)id,
			      "colour", colour, "reason", why, "reason_code", colour, "day", today,
			      "observation_end_day", jx_text_or_null(f.obs_end[0] ? f.obs_end : NULL),
			      "fever_open", f.fever);
	return o ? resp_json(r, 200, o) : ERR_NOMEM;
}
