/* Moving a district's whole database between backends (`cordon copy`):
 * SQLite to PostgreSQL and back, or between two of either. The tables and
 * their order come from the source's catalog (every table but
 * schema_migrations, parents before the tables whose foreign keys point at
 * them), so a table a later migration adds is copied without a list to keep
 * up to date. */
#ifndef CORDON_COPY_H
#define CORDON_COPY_H

#include <stdio.h>

#include "db.h"

/* One table to copy, as the catalog describes it. */
struct copy_table {
	char *name;
	char **pk; /* primary key columns in key order (npk of them) */
	int npk;
	/* A foreign key of the table to itself (units.parent_id -> units.id):
	 * rows are copied parents first. NULL when there is none. */
	char *self_col, *self_ref;
};

/* Reads the tables of the database on c in foreign-key order (a table
 * after every table it references). Returns 0 with *out (freed with
 * copy_tables_free) and *n set, or a negative enum err with ei filled:
 * foreign keys forming a cycle, or a name that is not a plain identifier.
 * Detached log partitions (<log>_pYYYYMM, partition.h) are left out. */
int copy_tables(struct dbc *c, struct copy_table **out, int *n, struct err_info *ei);
void copy_tables_free(struct copy_table *t, int n);

/* Copies every table of `from` (a SQLite path or postgresql:// URL) into
 * `to`, which is created or migrated to this binary's schema and must hold
 * no units and no users; `from` must be at that schema too. One transaction
 * on the target; the source is read in one snapshot. On PostgreSQL the
 * log partitions for the copied months are made first and the id
 * sequences are set past the copied ids after. Row counts are compared per
 * table before the commit. Writes a line per table and the counts to out
 * (NULL: silent). Returns 0, or a negative enum err with ei filled (the
 * target is then left as it was, and a SQLite file the copy created is
 * removed). */
int copy_database(const char *from, const char *to, FILE *out, struct err_info *ei);

#endif
