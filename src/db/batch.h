/* Group commit: many small writes from many request threads go through one
 * writer thread that runs them in one transaction and answers each caller
 * only after that transaction is durable. One fsync carries a whole batch,
 * so a hot path (gate scans, checkpoint screening, health checks) writes
 * at the disk's transaction rate times the batch size. */
#ifndef CORDON_BATCH_H
#define CORDON_BATCH_H

#include <stdint.h>

#include "db.h"

struct batcher;

/* A job runs its statements on the writer's connection inside the batch's
 * transaction. It must not commit, and should not fail on expected
 * conflicts (use ON CONFLICT ... DO NOTHING and read back). Returns 0 or a
 * negative enum err. */
typedef int (*batch_fn)(struct dbc *c, void *arg);

/* Batch sizes are counted in power-of-two buckets: size <= 1, 2, 4 ... 256,
 * and larger. */
#define BATCH_SIZE_BUCKETS 10

struct batch_stats {
	uint64_t jobs, batches, retried; /* retried: jobs re-run alone after a failed batch */
	int max_batch;
	int queued;
	uint64_t size_buckets[BATCH_SIZE_BUCKETS]; /* batches by size, not cumulative */
	/* Seconds the writer spent running and committing batches (the fsync
	 * is most of it on a slow disk), and seconds jobs spent from being
	 * queued until durable, summed over jobs: an operator reads why a
	 * write's latency moved (a slower disk raises both; more load raises
	 * the batch size first). */
	double commit_seconds, wait_seconds;
};

/* Starts the writer thread on db. max_batch bounds a batch (default 256
 * when 0). Returns NULL when the thread cannot start. */
struct batcher *batch_start(struct db *db, int max_batch);
/* Runs fn(arg) in the next batch and waits until it is committed. Returns
 * fn's result, or the commit's error (then nothing of fn was stored). If a
 * batch fails, each of its jobs is re-run alone so one bad job cannot sink
 * the others. */
int batch_run(struct batcher *b, batch_fn fn, void *arg);
/* Called on the writer thread when a submitted job's batch has committed
 * (rc = the job's result) or failed (rc = the error). It must be quick and
 * must not call into the batcher. */
typedef void (*batch_done_fn)(void *ctx, int rc);
/* Queues fn(arg) for the next batch and returns at once: 0, ERR_NOMEM, or
 * ERR_BUSY when the writer is stopping (then done is not called). done(ctx,
 * rc) follows exactly once otherwise; arg must live until then. For a
 * server that parks a request instead of a thread while its write is made
 * durable. */
int batch_submit(struct batcher *b, batch_fn fn, void *arg, batch_done_fn done, void *ctx);
void batch_stats(struct batcher *b, struct batch_stats *out);
/* The size_buckets index of a batch of n jobs (pure; for /metrics' labels
 * and the unit test). */
int batch_size_bucket(int n);
/* Finishes the queued jobs, stops the thread and frees b. */
void batch_stop(struct batcher *b);

#endif
