/* Group commit: every job from many threads is stored once, batches carry
 * many jobs, and a failing job fails alone; submitted jobs (no thread
 * waiting) are told their result exactly once, after their commit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/batch.h"
#include "db/db.h"
#include "unit_db.h"

#define THREADS 8
#define PER 150

static struct batcher *B;

struct item {
	int64_t v;
	int fail;
};

static int insert(struct dbc *c, void *arg)
{
	struct item *it = arg;
	if (it->fail) /* a statement that fails: a NOT NULL column given NULL */
		return (int)db_run(c, "INSERT INTO t(v) VALUES ($1)", "n");
	int64_t n = db_run(c, "INSERT INTO t(v) VALUES ($1)", "i", it->v);
	return n < 0 ? (int)n : 0;
}

static void *worker(void *p)
{
	int64_t base = (int64_t)(intptr_t)p * 1000;
	for (int i = 0; i < PER; i++) {
		struct item it = {base + i, i == 7};
		int rc = batch_run(B, insert, &it);
		if (it.fail ? rc == 0 : rc != 0)
			return (void *)1;
	}
	return NULL;
}

static void many_threads(void **state)
{
	(void)state;
	char path[64];
	unit_db_path(path, sizeof path, "batch");
	struct db *db;
	struct err_info ei = {0};
	assert_int_equal(db_open(path, 0, &db, &ei), 0);
	struct dbc *c = db_acquire(db, DB_WRITE);
	assert_int_equal(db_exec(c, "CREATE TABLE t (v INTEGER NOT NULL UNIQUE)"), 0);
	db_release(db, c);
	B = batch_start(db, 64);
	assert_non_null(B);
	pthread_t th[THREADS];
	for (intptr_t i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, worker, (void *)i);
	for (int i = 0; i < THREADS; i++) {
		void *ret;
		pthread_join(th[i], &ret);
		assert_null(ret);
	}
	struct batch_stats st;
	batch_stats(B, &st);
	batch_stop(B);
	assert_int_equal(st.jobs, THREADS * PER);
	assert_true(st.batches < st.jobs); /* jobs shared transactions */
	assert_true(st.max_batch > 1);
	/* The size histogram accounts for every batch and every job's wait. */
	uint64_t in_buckets = 0;
	for (int k = 0; k < BATCH_SIZE_BUCKETS; k++)
		in_buckets += st.size_buckets[k];
	assert_int_equal(in_buckets, st.batches);
	assert_true(st.size_buckets[batch_size_bucket(st.max_batch)] >= 1);
	assert_true(st.commit_seconds > 0);
	assert_true(st.wait_seconds >= st.commit_seconds / 2);
	c = db_acquire(db, DB_READ);
	int64_t n = 0;
	db_one_int(c, &n, "SELECT COUNT(*) FROM t", "");
	assert_int_equal(n, THREADS * (PER - 1)); /* every job but the failing ones */
	db_release(db, c);
	db_close(db);
	unit_db_remove(path);
}

/* Submitted jobs: each told once, with its own result, only once its
 * batch has committed (its row is readable from another connection). */
#define SUBMITTED 500
static struct db *SDB;
static int told[SUBMITTED], told_rc[SUBMITTED], seen_committed[SUBMITTED];

static void on_done(void *ctx, int rc)
{
	int i = (int)(intptr_t)ctx;
	told[i]++;
	told_rc[i] = rc;
	struct dbc *c = db_acquire(SDB, DB_READ);
	int64_t n = 0;
	if (c && db_one_int(c, &n, "SELECT COUNT(*) FROM t WHERE v = $1", "i", (int64_t)i) == 1)
		seen_committed[i] = n == 1;
	if (c)
		db_release(SDB, c);
}

static void submitted(void **state)
{
	(void)state;
	char path[64];
	unit_db_path(path, sizeof path, "batch-s");
	struct err_info ei = {0};
	assert_int_equal(db_open(path, 0, &SDB, &ei), 0);
	struct dbc *c = db_acquire(SDB, DB_WRITE);
	assert_int_equal(db_exec(c, "CREATE TABLE t (v INTEGER NOT NULL UNIQUE)"), 0);
	db_release(SDB, c);
	struct batcher *b = batch_start(SDB, 64);
	assert_non_null(b);
	static struct item items[SUBMITTED];
	for (int i = 0; i < SUBMITTED; i++) {
		items[i] = (struct item){i, i % 97 == 5};
		assert_int_equal(batch_submit(b, insert, &items[i], on_done, (void *)(intptr_t)i), 0);
	}
	batch_stop(b); /* finishes the queue first */
	for (int i = 0; i < SUBMITTED; i++) {
		assert_int_equal(told[i], 1);
		if (items[i].fail) {
			assert_true(told_rc[i] < 0);
			assert_int_equal(seen_committed[i], 0);
		} else {
			assert_int_equal(told_rc[i], 0);
			assert_int_equal(seen_committed[i], 1);
		}
	}
	db_close(SDB);
	unit_db_remove(path);
}

/* Every thread but this one, by /proc: 1 when each blocks SIGTERM. */
static int others_block_sigterm(int *threads)
{
	char self[32];
	snprintf(self, sizeof self, "%d", (int)getpid());
	DIR *d = opendir("/proc/self/task");
	if (!d)
		return -1;
	int all = 1;
	*threads = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, self))
			continue;
		char path[300], line[256];
		snprintf(path, sizeof path, "/proc/self/task/%s/status", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof line, f))
			if (!strncmp(line, "SigBlk:", 7)) {
				unsigned long long mask = strtoull(line + 7, NULL, 16);
				all &= (mask >> (SIGTERM - 1)) & 1;
				(*threads)++;
			}
		fclose(f);
	}
	closedir(d);
	return all;
}

/* The server waits for SIGTERM with sigwait; a background thread of the
 * storage layer that let it through would take the default action and
 * kill the process before the drain (seen under load in cli.test). */
static void threads_block_stop_signals(void **state)
{
	(void)state;
	char path[64];
	unit_db_path(path, sizeof path, "batch-sig");
	struct err_info ei = {0};
	assert_int_equal(db_open(path, 0, &SDB, &ei), 0); /* SQLite's checkpointer */
	struct batcher *b = batch_start(SDB, 64);           /* the group-commit writer */
	assert_non_null(b);
	/* Once each has run its own code (a sanitizer's thread start runs
	 * with every signal blocked): a write through the writer, and time
	 * for the checkpointer to reach its wait. */
	struct dbc *c = db_acquire(SDB, DB_WRITE);
	assert_int_equal(db_exec(c, "CREATE TABLE t (v INTEGER NOT NULL UNIQUE)"), 0);
	db_release(SDB, c);
	static struct item one = {1, 0};
	memset(told, 0, sizeof told);
	assert_int_equal(batch_submit(b, insert, &one, on_done, (void *)(intptr_t)0), 0);
	for (int i = 0; i < 500 && !__atomic_load_n(&told[0], __ATOMIC_ACQUIRE); i++)
		usleep(10000);
	assert_int_equal(told[0], 1);
	usleep(100000);
	int threads = 0;
	assert_int_equal(others_block_sigterm(&threads), 1);
	assert_true(threads >= 2);
	batch_stop(b);
	db_close(SDB);
	unit_db_remove(path);
}

static void size_buckets(void **state)
{
	(void)state;
	assert_int_equal(batch_size_bucket(1), 0);
	assert_int_equal(batch_size_bucket(2), 1);
	assert_int_equal(batch_size_bucket(3), 2);
	assert_int_equal(batch_size_bucket(4), 2);
	assert_int_equal(batch_size_bucket(5), 3);
	assert_int_equal(batch_size_bucket(256), 8);
	assert_int_equal(batch_size_bucket(257), 9);
	assert_int_equal(batch_size_bucket(100000), BATCH_SIZE_BUCKETS - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(many_threads),
					   cmocka_unit_test(submitted),
					   cmocka_unit_test(threads_block_stop_signals),
					   cmocka_unit_test(size_buckets)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
