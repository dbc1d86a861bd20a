/* Group commit; see batch.h. The queue is a singly linked list of jobs
 * that live on their callers' stacks; the writer takes the whole list at
 * once, runs it in one transaction, and wakes every caller. */
#include "batch.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

#include "../base/log.h"

struct job {
	batch_fn fn;
	void *arg;
	int rc;
	int done;
	pthread_cond_t cv; /* its caller waits here: only a finished batch's callers wake */
	batch_done_fn notify; /* a submitted job (malloc'd): called instead of cv */
	void *ctx;
	double queued_at; /* monotonic seconds */
	struct job *next;
};

struct batcher {
	struct db *db;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work; /* the writer waits for jobs */
	struct job *head, *tail;
	int stopping;
	int max_batch;
	struct batch_stats st;
};


static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The bucket of a batch of n jobs: the first power of two >= n. */
int batch_size_bucket(int n)
{
	int k = 0;
	while (k < BATCH_SIZE_BUCKETS - 1 && n > (1 << k))
		k++;
	return k;
}

/* Runs jobs[0..n) in one transaction; 0 when all committed. */
static int run_batch(struct dbc *c, struct job **jobs, int n)
{
	int rc = db_begin(c);
	for (int i = 0; !rc && i < n; i++) {
		jobs[i]->rc = jobs[i]->fn(c, jobs[i]->arg);
		if (jobs[i]->rc)
			rc = jobs[i]->rc;
	}
	if (rc) {
		db_rollback(c);
		return rc;
	}
	return db_commit(c);
}

static void *writer(void *p)
{
	struct batcher *b = p;
	struct job **jobs = calloc((size_t)b->max_batch, sizeof *jobs);
	if (!jobs) {
		log_error("batch: out of memory");
		return NULL;
	}
	for (;;) {
		pthread_mutex_lock(&b->mu);
		while (!b->head && !b->stopping)
			pthread_cond_wait(&b->work, &b->mu);
		if (!b->head && b->stopping) {
			pthread_mutex_unlock(&b->mu);
			break;
		}
		/* Take up to max_batch jobs off the queue. */
		int n = 0;
		while (b->head && n < b->max_batch) {
			jobs[n++] = b->head;
			b->head = b->head->next;
		}
		if (!b->head)
			b->tail = NULL;
		b->st.queued -= n;
		pthread_mutex_unlock(&b->mu);

		double t0 = now_s();
		struct dbc *c = db_acquire(b->db, DB_WRITE);
		int rc = c ? run_batch(c, jobs, n) : ERR_DB;
		int retried = 0;
		if (rc && c && n > 1) {
			/* One job failed: run each alone, so only it fails. */
			for (int i = 0; i < n; i++)
				if (run_batch(c, &jobs[i], 1) && !jobs[i]->rc)
					jobs[i]->rc = ERR_DB;
			retried = n;
		} else if (rc) {
			for (int i = 0; i < n; i++)
				if (!jobs[i]->rc)
					jobs[i]->rc = rc;
		}
		if (c)
			db_release(b->db, c);
		double t1 = now_s(), waited = 0;
		for (int i = 0; i < n; i++)
			waited += t1 - jobs[i]->queued_at;
		pthread_mutex_lock(&b->mu);
		b->st.commit_seconds += t1 - t0;
		b->st.wait_seconds += waited;
		b->st.size_buckets[batch_size_bucket(n)]++;
		b->st.jobs += (uint64_t)n;
		b->st.batches++;
		b->st.retried += (uint64_t)retried;
		if (n > b->st.max_batch)
			b->st.max_batch = n;
		/* Wake only this batch's callers (a broadcast would wake every
		 * waiter, most of them for the next batch, on every commit).
		 * A waited-for job lives on its caller's stack: not touched
		 * after this. Submitted jobs are told outside the lock. */
		int async = 0;
		for (int i = 0; i < n; i++) {
			if (jobs[i]->notify) {
				jobs[async++] = jobs[i];
				continue;
			}
			jobs[i]->done = 1;
			pthread_cond_signal(&jobs[i]->cv);
		}
		pthread_mutex_unlock(&b->mu);
		for (int i = 0; i < async; i++) {
			jobs[i]->notify(jobs[i]->ctx, jobs[i]->rc);
			free(jobs[i]);
		}
	}
	free(jobs);
	return NULL;
}

struct batcher *batch_start(struct db *db, int max_batch)
{
	struct batcher *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->db = db;
	b->max_batch = max_batch > 0 ? max_batch : 256;
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->work, NULL);
	/* The writer inherits every signal blocked: SIGTERM is for the
	 * server's sigwait; delivered to this thread it would kill the
	 * process before the drain (cli.test's SIGTERM test saw it). */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int err = pthread_create(&b->thread, NULL, writer, b);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err != 0) {
		pthread_mutex_destroy(&b->mu);
		pthread_cond_destroy(&b->work);
		free(b);
		return NULL;
	}
	return b;
}

/* Appends j to the queue and wakes the writer; b->mu held. */
static void enqueue(struct batcher *b, struct job *j)
{
	j->queued_at = now_s();
	if (b->tail)
		b->tail->next = j;
	else
		b->head = j;
	b->tail = j;
	b->st.queued++;
	pthread_cond_signal(&b->work);
}

int batch_run(struct batcher *b, batch_fn fn, void *arg)
{
	struct job j = {.fn = fn, .arg = arg};
	pthread_cond_init(&j.cv, NULL);
	pthread_mutex_lock(&b->mu);
	if (b->stopping) {
		pthread_mutex_unlock(&b->mu);
		pthread_cond_destroy(&j.cv);
		return ERR_BUSY;
	}
	enqueue(b, &j);
	while (!j.done)
		pthread_cond_wait(&j.cv, &b->mu);
	pthread_mutex_unlock(&b->mu);
	pthread_cond_destroy(&j.cv);
	return j.rc;
}

int batch_submit(struct batcher *b, batch_fn fn, void *arg, batch_done_fn done, void *ctx)
{
	struct job *j = calloc(1, sizeof *j);
	if (!j)
		return ERR_NOMEM;
	j->fn = fn;
	j->arg = arg;
	j->notify = done;
	j->ctx = ctx;
	pthread_mutex_lock(&b->mu);
	if (b->stopping) {
		pthread_mutex_unlock(&b->mu);
		free(j);
		return ERR_BUSY;
	}
	enqueue(b, j);
	pthread_mutex_unlock(&b->mu);
	return 0;
}

void batch_stats(struct batcher *b, struct batch_stats *out)
{
	pthread_mutex_lock(&b->mu);
	*out = b->st;
	pthread_mutex_unlock(&b->mu);
}

void batch_stop(struct batcher *b)
{
	if (!b)
		return;
	pthread_mutex_lock(&b->mu);
	b->stopping = 1;
	pthread_cond_signal(&b->work);
	pthread_mutex_unlock(&b->mu);
	pthread_join(b->thread, NULL);
	if (b->st.batches)
		log_info("batch: %llu writes in %llu commits (%.1f a commit, at most %d), %llu re-run alone",
			 (unsigned long long)b->st.jobs, (unsigned long long)b->st.batches,
			 (double)b->st.jobs / (double)b->st.batches, b->st.max_batch,
			 (unsigned long long)b->st.retried);
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->work);
	free(b);
}
