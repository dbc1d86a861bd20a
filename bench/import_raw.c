/* bench/import's baseline: SQLite's raw insert of the same rows into the
 * persons table of a copy of the same demo database (the real table: its
 * indexes, its foreign keys), in one transaction, through one prepared
 * statement, with cordon's pragmas (WAL, synchronous=FULL, foreign_keys=ON).
 * It reads the generated CSV (no quoting in it: plain splitting on commas),
 * derives sex, birth date and last-4 from the ID, places each person in the
 * compound the row names by code (or the district, unlocated) — and checks
 * and records nothing else: no validation, no facts, no households, no
 * arrivals, no counters. Prints the rows inserted and the seconds taken.
 * Usage: import_raw DB FILE.csv [CACHE_KIB] */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct code {
	char *code;
	long long id;
};

static int cmp_code(const void *a, const void *b)
{
	return strcmp(((const struct code *)a)->code, ((const struct code *)b)->code);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(sqlite3 *h, const char *what)
{
	fprintf(stderr, "import_raw: %s: %s\n", what, h ? sqlite3_errmsg(h) : "?");
	exit(1);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: import_raw DB FILE.csv [CACHE_KIB]\n");
		return 2;
	}
	double t0 = now_s();
	sqlite3 *h;
	if (sqlite3_open(argv[1], &h) != SQLITE_OK)
		die(h, "open");
	char pragmas[200];
	snprintf(pragmas, sizeof pragmas,
		 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
		 " PRAGMA temp_store=MEMORY; %s%s%s",
		 argc > 3 ? "PRAGMA cache_size=-" : "", argc > 3 ? argv[3] : "", argc > 3 ? ";" : "");
	if (sqlite3_exec(h, pragmas, NULL, NULL, NULL) != SQLITE_OK)
		die(h, "pragmas");

	/* Compounds by code, and the district. */
	size_t ncodes = 0, cap = 4096;
	struct code *codes = malloc(cap * sizeof *codes);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(h, "SELECT code, id FROM units", -1, &st, NULL) != SQLITE_OK)
		die(h, "units");
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (ncodes == cap)
			codes = realloc(codes, (cap *= 2) * sizeof *codes);
		codes[ncodes].code = strdup((const char *)sqlite3_column_text(st, 0));
		codes[ncodes++].id = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	qsort(codes, ncodes, sizeof *codes, cmp_code);
	long long root = 0;
	if (sqlite3_prepare_v2(h, "SELECT id FROM units WHERE parent_id IS NULL", -1, &st, NULL) !=
		    SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		die(h, "district");
	root = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);

	FILE *f = fopen(argv[2], "rb");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	if (sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		die(h, "begin");
	if (sqlite3_prepare_v2(h,
			       "INSERT INTO persons(unit_id, household_id, located, doc_type,"
			       " doc_number, doc_last4, name, sex, birth_date, phone, source,"
			       " source_id, created_at, updated_at) VALUES (?1, NULL, ?2,"
			       " 'resident_id', ?3, ?4, ?5, ?6, ?7, ?8, 'import', NULL, ?9, ?9)"
			       " ON CONFLICT DO NOTHING",
			       -1, &st, NULL) != SQLITE_OK)
		die(h, "prepare");
	long long now = (long long)time(NULL), rows = 0, inserted = 0;
	char line[4096];
	int header = 1;
	while (fgets(line, sizeof line, f)) {
		if (header) {
			header = 0;
			continue;
		}
		line[strcspn(line, "\r\n")] = 0;
		/* 姓名,身份证号,手机,性别,来源地,抵达日期,交通方式,小区,地址 */
		char *fl[9] = {0};
		char *p = line;
		for (int i = 0; i < 9; i++) {
			fl[i] = p;
			char *c = p ? strchr(p, ',') : NULL;
			if (c)
				*c = 0;
			p = c ? c + 1 : NULL;
			if (!fl[i])
				fl[i] = "";
		}
		const char *id = fl[1];
		if (strlen(id) != 18)
			continue;
		char birth[11], sex[2] = {(id[16] - '0') % 2 ? 'M' : 'F', 0};
		snprintf(birth, sizeof birth, "%.4s-%.2s-%.2s", id + 6, id + 10, id + 12);
		long long unit = root;
		int located = 0;
		if (fl[7][0]) {
			struct code key = {.code = fl[7]};
			struct code *c = bsearch(&key, codes, ncodes, sizeof *codes, cmp_code);
			if (c) {
				unit = c->id;
				located = 1;
			}
		}
		sqlite3_bind_int64(st, 1, unit);
		sqlite3_bind_int(st, 2, located);
		sqlite3_bind_text(st, 3, id, 18, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, id + 14, 4, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 5, fl[0], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 6, sex, 1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 7, birth, 10, SQLITE_TRANSIENT);
		if (fl[2][0])
			sqlite3_bind_text(st, 8, fl[2], -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 8);
		sqlite3_bind_int64(st, 9, now);
		if (sqlite3_step(st) != SQLITE_DONE)
			die(h, "insert");
		inserted += sqlite3_changes(h);
		sqlite3_reset(st);
		rows++;
	}
	fclose(f);
	sqlite3_finalize(st);
	if (sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die(h, "commit");
	sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	sqlite3_close(h);
	printf("rows %lld, inserted %lld, %.2f s\n", rows, inserted, now_s() - t0);
	return 0;
}
