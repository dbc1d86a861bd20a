/* bench/contacts_raw: the baseline of bench/contacts.sh. Runs, straight on
 * the SQLite database and with nothing around it, the query cordon uses for
 * a case's gate contacts (src/feature/contacts.c, find_candidates: everyone
 * scanned at the same gate within ±W seconds of each of the case person's
 * scans in the contact window), stepping through every row and reading its
 * columns, R times after one warm-up run. Prints "rows N median_ms M
 * p90_ms P". Usage: contacts_raw DB PERSON FROM TO W R */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const char sql[] =
	"SELECT o.person_id, u.name || ' ' || g.name,"
	" CASE WHEN o.at < s.at THEN o.at ELSE s.at END,"
	" CASE WHEN o.at > s.at THEN o.at ELSE s.at END"
	" FROM gate_scans s JOIN gate_scans o ON o.gate_id = s.gate_id + 0"
	" AND o.at >= s.at - $4 AND o.at <= s.at + $4"
	" JOIN gates g ON g.id = s.gate_id JOIN units u ON u.id = g.unit_id"
	" WHERE s.person_id = $1 AND s.at >= $2 AND s.at < $3"
	" AND o.person_id IS NOT NULL AND o.person_id <> $1"
	" ORDER BY s.at, o.at";

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc != 7) {
		fprintf(stderr, "usage: contacts_raw DB PERSON FROM TO W R\n");
		return 2;
	}
	sqlite3 *db;
	sqlite3_stmt *st;
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "contacts_raw: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	int r = atoi(argv[6]);
	if (r < 1 || r > 1000)
		r = 20;
	double *t = calloc((size_t)r, sizeof *t);
	if (!t)
		return 1;
	long rows = 0;
	for (int i = -1; i < r; i++) {
		double t0 = now_ms();
		sqlite3_reset(st);
		/* $1 person, $2 from, $3 to, $4 window; SQLite numbers "$N" by
		 * first appearance, so bind by name as cordon does. */
		static const char *const names[4] = {"$1", "$2", "$3", "$4"};
		for (int k = 0; k < 4; k++)
			sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, names[k]),
					   atoll(argv[2 + k]));
		long n = 0;
		long long sum = 0;
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			sum += sqlite3_column_int64(st, 0) + sqlite3_column_int64(st, 2) +
			       sqlite3_column_int64(st, 3) + sqlite3_column_bytes(st, 1);
			n++;
		}
		if (rc != SQLITE_DONE) {
			fprintf(stderr, "contacts_raw: %s\n", sqlite3_errmsg(db));
			return 1;
		}
		if (i >= 0)
			t[i] = now_ms() - t0;
		rows = n + (sum == -1); /* sum read so the columns are not skipped */
	}
	qsort(t, (size_t)r, sizeof *t, cmp);
	printf("rows %ld median_ms %.2f p90_ms %.2f\n", rows, t[r / 2], t[(r * 9) / 10 < r ? (r * 9) / 10 : r - 1]);
	free(t);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;
}
