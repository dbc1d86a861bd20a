/* cordon: the one binary. This file is the subcommand table — serve, init,
 * demo, import, user, backup, version — with option parsing (flags, and
 * environment variables that mirror them) and usage texts. */
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "db/copy.h"
#include "db/batch.h"
#include "db/db.h"
#include "db/migrate.h"
#include "db/partition.h"
#include "feature/areas.h"
#include "feature/bulletin.h"
#include "demo/demo.h"
#include "i18n/catalogs.h"
#include "feature/features.h"
#include "feature/imports.h"
#include "feature/passes.h"
#include "feature/supplies.h"
#include "feature/units.h"
#include "feature/users.h"
#include "http/auth.h"
#include "http/perm.h"
#include "http/server.h"

#ifndef CORDON_VERSION
#define CORDON_VERSION "dev"
#endif

struct opts {
	const char *db, *listen, *tz, *clock;
	int pool;
	int threads, secure_cookie, trust_proxy, quiet, no_serve;
	const char *admin_pw_file, *district_code, *district_name;
	const char *username, *name, *role, *password_file;
	int64_t scope;
	const char *source;
	const char *key_file;
	uint32_t seed;
	int scale;
};

static const char *prog = "cordon";

static void usage_main(FILE *f)
{
	fprintf(f,
		"usage: cordon COMMAND [options]   (cordon COMMAND --help for each)\n"
		"\n"
		"Cordon: a district epidemic prevention and control command system.\n"
		"\n"
		"commands:\n"
		"  serve     serve the API and the browser app on a database\n"
		"  init      create a database, run migrations and create the admin account\n"
		"  demo      build the demo district (Jinfeng District) and serve it\n"
		"  import    import records from CSV (import units|persons FILE)\n"
		"  user      manage users: add, list, passwd, disable\n"
		"  backup    copy the database to DEST, consistent while serving\n"
		"  copy      move a whole database between SQLite and PostgreSQL\n"
		"  report    write a report: report bulletin|supplies --day D --format ...\n"
		"  partitions list, create or detach the monthly log partitions (PostgreSQL)\n"
		"  version   print the version and the schema version\n"
		"\n"
		"Every command that takes --db PATH (SQLite) takes --pg URL (PostgreSQL) instead.\n"
		"environment: CORDON_DB, CORDON_PG, CORDON_LISTEN, CORDON_TZ, CORDON_THREADS\n"
		"and CORDON_CLOCK mirror --db, --pg, --listen, --tz, --threads and --clock.\n");
}

static const char *const usage_text[][2] = {
	{"serve", "usage: cordon serve [--db PATH | --pg URL [--pool N]] [--listen HOST:PORT]\n"
		  "                    [--tz ZONE] [--threads N] [--secure-cookie] [--trust-proxy] [--quiet]\n"
		  "  --db PATH          SQLite database (default var/cordon.db; CORDON_DB)\n"
		  "  --pg URL           PostgreSQL database instead, postgresql://... (CORDON_PG)\n"
		  "  --pool N           PostgreSQL connections (default 16)\n"
		  "  --listen HOST:PORT address to listen on (default 127.0.0.1:8080; CORDON_LISTEN)\n"
		  "  --tz ZONE          the district's time zone (default Asia/Shanghai; CORDON_TZ)\n"
		  "  --threads N        worker threads (default 8; CORDON_THREADS)\n"
		  "  --secure-cookie    mark the session cookie Secure (serving behind TLS)\n"
		  "  --trust-proxy      take client addresses from X-Forwarded-For (behind nginx)\n"
		  "                     when the peer is in CORDON_TRUSTED_PROXIES (default: loopback)\n"
		  "  --quiet            do not log one line per request\n"
		  "  --key-file FILE    the key that seals the pass signing keys in the database\n"
		  "                     (default PATH.key beside a SQLite database, var/cordon-pg.key\n"
		  "                     for PostgreSQL; made 0600 when missing; CORDON_KEY_FILE)\n"
		  "  --clock WHEN       run with the clock set to WHEN (local YYYY-MM-DD or\n"
		  "                     YYYY-MM-DDTHH:MM[:SS]), running on from there; for tests\n"
		  "                     and demonstrations (CORDON_CLOCK); shown on /healthz\n"},
	{"init", "usage: cordon init [--db PATH | --pg URL] [--admin-password-file FILE]\n"
		 "                   [--district-code CODE] [--district-name NAME]\n"
		 "  creates the database, runs migrations, creates the district unit\n"
		 "  (default 640106 金凤区) and the admin account 'admin'. Without\n"
		 "  --admin-password-file a generated password is printed once.\n"},
	{"demo", "usage: cordon demo [--db PATH | --pg URL] [--no-serve] [--rebuild] [--seed N]\n"
		 "                   [--scale N] [serve options]\n"
		 "  --scale N  N times the population and the logs that grow with it\n"
		 "             (households, persons, visits, arrivals, checks, scans; 1..100,\n"
		 "             default 1); units, the command, checkpoints, cases, points and\n"
		 "             enterprises stay as the bulletin has them\n"
		 "  builds the demo district into PATH (default var/demo.db) unless it already\n"
		 "  holds the current demo, prints the demo accounts, then serves it. With --pg\n"
		 "  the database must be empty (or hold the current demo).\n"},
	{"import", "usage: cordon import units FILE [--db PATH] [--scope UNIT_ID]\n"
		   "       cordon import persons FILE [--source NAME] [--db PATH] [--scope UNIT_ID]\n"
		   "  units: CSV of parent_code,kind,code,name[,property_company].\n"
		   "  persons: a big-data list (UTF-8 or GB18030) whose header names 身份证号/\n"
		   "  id_number and any of 姓名/name, 证件类型/doc_type, 手机/phone, 性别/sex,\n"
		   "  出生日期/birth_date, 来源地/origin, 抵达日期/arrival_date, 交通方式/mode,\n"
		   "  地址/address, 小区/compound; one transaction, kept as an import batch of\n"
		   "  --source (default: the file's name) in --scope (default: the district).\n"
		   "  Progress goes to stderr every 50,000 rows, then the rejected lines; stdout\n"
		   "  ends with 'created N, updated N, rejected N'. Exit 0 when the file could\n"
		   "  be read (rejects included), 1 when not.\n"},
	{"user", "usage: cordon user add --username U --name N --role R --scope UNIT_ID\n"
		 "                          --password-file FILE [--db PATH]\n"
		 "       cordon user list [--db PATH]\n"
		 "       cordon user passwd --username U --password-file FILE [--db PATH]\n"
		 "       cordon user disable --username U [--db PATH]\n"},
	{"backup", "usage: cordon backup DEST [--db PATH] [--key-file FILE]\n"
		   "  copies the database to DEST (created 0600) with SQLite's online backup\n"
		   "  in one snapshot: it finishes while `cordon serve` is writing and holds\n"
		   "  what was committed when it began. Progress goes to stderr; stdout ends\n"
		   "  with the size and time. The pass signing keys are in it sealed: the key\n"
		   "  file (default PATH.key) is not, and is backed up apart.\n"},
	{"version", "usage: cordon version [--db PATH]\n"},
	{"copy", "usage: cordon copy --from SOURCE --to TARGET\n"
		 "  copies a district's whole database; SOURCE and TARGET are each a SQLite\n"
		 "  path or a postgresql:// URL. TARGET is created or migrated and must hold\n"
		 "  no units and no users; SOURCE must be at this cordon's schema. SOURCE is\n"
		 "  read in one snapshot: stop its servers first when moving a district, or\n"
		 "  writes after the snapshot stay behind. One transaction on TARGET; row\n"
		 "  counts are compared per table and any difference exits 1 with nothing\n"
		 "  committed.\n"},
	{"report", "usage: cordon report bulletin --day YYYY-MM-DD [--format json|xlsx|html]\n"
		   "                             [--out FILE] [--scope UNIT_ID] [--db PATH | --pg URL]\n"
		   "  the day's bulletin, every figure recomputed from the records as of the end\n"
		   "  of that local day, for the district (or --scope's unit and what lies under\n"
		   "  it): json (default) and html (a printable one-page bulletin in Chinese) to\n"
		   "  stdout or --out, xlsx to --out (default bulletin-DAY.xlsx).\n"
		   "usage: cordon report supplies --day YYYY-MM-DD [--format xlsx|csv] [--out FILE]\n"
		   "                             [--scope UNIT_ID] [--db PATH | --pg URL]\n"
		   "  per item raised, issued, adjusted and on hand, and per fund allocated,\n"
		   "  donated, spent and the balance, at the end of that local day, from the\n"
		   "  ledgers: xlsx (default) to --out (default supplies-DAY.xlsx), csv to\n"
		   "  stdout or --out.\n"},
	{"partitions", "usage: cordon partitions list --pg URL\n"
		       "       cordon partitions ensure [--from YYYY-MM] [--months N] --pg URL\n"
		       "       cordon partitions detach TABLE YYYY-MM --pg URL\n"
		       "  the big logs are partitioned by month on PostgreSQL (TABLE_pYYYYMM).\n"
		       "  ensure creates the missing ones from --from (default this month) for\n"
		       "  N months (default 4); the server keeps 3 months ahead by itself.\n"
		       "  detach leaves a month a plain table to archive:\n"
		       "    pg_dump -Fc -t audit_log_p202002 ... && psql -c 'DROP TABLE audit_log_p202002'\n"
		       "  --db PATH or CORDON_DB/CORDON_PG name the database as elsewhere; on SQLite\n"
		       "  there are no partitions.\n"},
};

static void usage_cmd(const char *cmd, FILE *f)
{
	for (size_t i = 0; i < sizeof usage_text / sizeof usage_text[0]; i++)
		if (strcmp(usage_text[i][0], cmd) == 0) {
			fputs(usage_text[i][1], f);
			return;
		}
	usage_main(f);
}

static int bad_usage(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	usage_cmd(cmd, stderr);
	return 2;
}

enum {
	O_DB = 1000, O_LISTEN, O_TZ, O_THREADS, O_SECURE, O_PROXY, O_QUIET, O_NOSERVE, O_ADMINPW,
	O_DCODE, O_DNAME, O_USERNAME, O_NAME, O_ROLE, O_SCOPE, O_PWFILE, O_SOURCE, O_SEED,
	O_REBUILD, O_PG, O_POOL, O_CLOCK, O_SCALE, O_KEYFILE, O_HELP
};

static const struct option longopts[] = {
	{"db", required_argument, 0, O_DB},
	{"pg", required_argument, 0, O_PG},
	{"pool", required_argument, 0, O_POOL},
	{"listen", required_argument, 0, O_LISTEN},
	{"tz", required_argument, 0, O_TZ},
	{"threads", required_argument, 0, O_THREADS},
	{"secure-cookie", no_argument, 0, O_SECURE},
	{"trust-proxy", no_argument, 0, O_PROXY},
	{"quiet", no_argument, 0, O_QUIET},
	{"no-serve", no_argument, 0, O_NOSERVE},
	{"rebuild", no_argument, 0, O_REBUILD},
	{"admin-password-file", required_argument, 0, O_ADMINPW},
	{"district-code", required_argument, 0, O_DCODE},
	{"district-name", required_argument, 0, O_DNAME},
	{"username", required_argument, 0, O_USERNAME},
	{"name", required_argument, 0, O_NAME},
	{"role", required_argument, 0, O_ROLE},
	{"scope", required_argument, 0, O_SCOPE},
	{"password-file", required_argument, 0, O_PWFILE},
	{"source", required_argument, 0, O_SOURCE},
	{"seed", required_argument, 0, O_SEED},
	{"clock", required_argument, 0, O_CLOCK},
	{"scale", required_argument, 0, O_SCALE},
	{"key-file", required_argument, 0, O_KEYFILE},
	{"help", no_argument, 0, O_HELP},
	{0, 0, 0, 0},
};

static int rebuild_flag;
static int pool_size;

/* Parses options after the command; positional arguments are left in
 * argv[optind..]. Returns 0, 1 for --help (printed), or 2 on a bad flag. */
static int parse_opts(const char *cmd, int argc, char **argv, struct opts *o)
{
	o->db = getenv("CORDON_PG") && *getenv("CORDON_PG") ? getenv("CORDON_PG")
							       : getenv("CORDON_DB");
	o->listen = getenv("CORDON_LISTEN");
	o->tz = getenv("CORDON_TZ");
	o->clock = getenv("CORDON_CLOCK");
	o->key_file = getenv("CORDON_KEY_FILE");
	const char *th = getenv("CORDON_THREADS");
	o->threads = th ? atoi(th) : 8;
	o->district_code = "640106";
	o->district_name = "金凤区";
	o->seed = 20200215;
	opterr = 0;
	optind = 1;
	int c;
	char *end;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case O_DB: o->db = optarg; break;
		case O_PG:
			if (!db_is_url(optarg))
				return bad_usage(cmd, "--pg needs a postgresql:// URL, not '%s'", optarg);
			o->db = optarg;
			break;
		case O_POOL:
			o->pool = (int)strtol(optarg, &end, 10);
			if (*end || o->pool < 1 || o->pool > 1000)
				return bad_usage(cmd, "--pool must be 1..1000, not '%s'", optarg);
			break;
		case O_LISTEN: o->listen = optarg; break;
		case O_TZ: o->tz = optarg; break;
		case O_CLOCK: o->clock = optarg; break;
		case O_SCALE:
			o->scale = (int)strtol(optarg, &end, 10);
			if (*end || o->scale < 1 || o->scale > 100)
				return bad_usage(cmd, "--scale must be 1..100, not '%s'", optarg);
			break;
		case O_KEYFILE: o->key_file = optarg; break;
		case O_THREADS:
			o->threads = (int)strtol(optarg, &end, 10);
			if (*end || o->threads < 1 || o->threads > 256)
				return bad_usage(cmd, "--threads must be 1..256, not '%s'", optarg);
			break;
		case O_SECURE: o->secure_cookie = 1; break;
		case O_PROXY: o->trust_proxy = 1; break;
		case O_QUIET: o->quiet = 1; break;
		case O_NOSERVE: o->no_serve = 1; break;
		case O_REBUILD: rebuild_flag = 1; break;
		case O_ADMINPW: o->admin_pw_file = optarg; break;
		case O_DCODE: o->district_code = optarg; break;
		case O_DNAME: o->district_name = optarg; break;
		case O_USERNAME: o->username = optarg; break;
		case O_NAME: o->name = optarg; break;
		case O_ROLE: o->role = optarg; break;
		case O_PWFILE: o->password_file = optarg; break;
		case O_SOURCE: o->source = optarg; break;
		case O_SCOPE:
			o->scope = strtoll(optarg, &end, 10);
			if (*end || o->scope < 1)
				return bad_usage(cmd, "--scope must be a unit id, not '%s'", optarg);
			break;
		case O_SEED:
			o->seed = (uint32_t)strtoul(optarg, &end, 10);
			if (*end)
				return bad_usage(cmd, "--seed must be a number, not '%s'", optarg);
			break;
		case 'h':
		case O_HELP: usage_cmd(cmd, stdout); return 1;
		case ':': return bad_usage(cmd, "option %s needs a value", argv[optind - 1]);
		default: return bad_usage(cmd, "unknown option %s", argv[optind - 1]);
		}
	}
	if (o->tz && clock_set_tz(o->tz))
		return bad_usage(cmd, "--tz: no such time zone '%s'", o->tz);
	if (!o->tz)
		clock_set_tz("Asia/Shanghai");
	/* A set clock, after the zone it is read in: serve and demo only. */
	if (o->clock && *o->clock) {
		int64_t when;
		if (strcmp(cmd, "serve") != 0 && strcmp(cmd, "demo") != 0)
			return bad_usage(cmd, "--clock is for serve and demo only (not %s)", cmd);
		if (clock_parse_local(o->clock, &when))
			return bad_usage(cmd, "--clock: '%s' is not YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]",
					 o->clock);
		clock_set_now(when);
	}
	if (!o->listen)
		o->listen = "127.0.0.1:8080";
	pool_size = o->pool;
	return 0;
}

static int open_db(const char *path, int create, struct db **db)
{
	if (!create && !db_is_url(path) && access(path, F_OK) != 0) {
		fprintf(stderr, "%s: no database at %s (create one with `cordon init --db %s`)\n",
			prog, path, path);
		return 1;
	}
	struct err_info ei = {0};
	if (db_open_pool(path, 1, pool_size, db, &ei)) {
		fprintf(stderr, "%s: %s\n", prog, ei.message);
		return 1;
	}
	/* Reference data a new database needs (GB/T 2260 divisions). */
	struct dbc *c = db_acquire(*db, DB_WRITE);
	int rc = c ? areas_load_divisions(c) : ERR_DB;
	db_release(*db, c);
	if (rc) {
		fprintf(stderr, "%s: cannot load the divisions into %s\n", prog, path);
		db_close(*db);
		return 1;
	}
	return 0;
}

/* Reads a password from a file: the first line, without its newline. */
static int read_password(const char *file, char *out, size_t cap)
{
	FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
	if (!f) {
		fprintf(stderr, "%s: cannot read %s: %s\n", prog, file, strerror(errno));
		return 1;
	}
	if (!fgets(out, (int)cap, f))
		out[0] = 0;
	if (f != stdin)
		fclose(f);
	out[strcspn(out, "\r\n")] = 0;
	struct err_info ei = {0};
	if (auth_password_ok(out, "password", &ei)) {
		fprintf(stderr, "%s: the password in %s %s\n", prog, file, ei.message);
		return 1;
	}
	return 0;
}

/* The key file of database `path`: --key-file / CORDON_KEY_FILE, else next
 * to a SQLite database (PATH.key), else var/cordon-pg.key for PostgreSQL. */
static const char *key_file_of(const char *path, const char *given, char *buf, size_t cap)
{
	if (given && *given)
		return given;
	if (db_is_url(path))
		return "var/cordon-pg.key";
	snprintf(buf, cap, "%s.key", path);
	return buf;
}

/* Reads (or makes) the key file that seals the pass signing keys and seals
 * any key still stored plain in db (NULL: the file only). 0 or 1 (said). */
static int keys_ready(struct db *db, const char *path, const char *given)
{
	char buf[4200];
	const char *kf = key_file_of(path, given, buf, sizeof buf);
	struct err_info ei = {0};
	if (passes_key_file(kf, &ei)) {
		fprintf(stderr, "%s: pass key file: %s\n", prog, ei.message);
		return 1;
	}
	if (!db)
		return 0;
	struct dbc *c = db_acquire(db, DB_WRITE);
	int sealed = 0, rc = c ? db_begin(c) : ERR_DB;
	if (!rc)
		rc = passes_seal_keys(c, &sealed);
	if (c)
		rc = rc ? (db_rollback(c), rc) : db_commit(c);
	db_release(db, c);
	if (rc) {
		fprintf(stderr, "%s: cannot seal the pass signing keys\n", prog);
		return 1;
	}
	if (sealed)
		log_info("sealed %d pass signing key(s) with the key file %s", sealed, kf);
	return 0;
}

static int serve_db(struct db *db, const struct opts *o)
{
	log_set_quiet(0);
	struct server_config cfg = {
		.listen = o->listen,
		.threads = o->threads,
		.db = db,
		.tables = feature_tables,
		.secure_cookie = o->secure_cookie,
		.trust_proxy = o->trust_proxy,
		.log_requests = !o->quiet,
		.version = CORDON_VERSION,
	};
	log_info("cordon %s serving %s (time zone %s, %d threads)", CORDON_VERSION, db_path(db),
		 clock_tz(), o->threads);
	if (clock_skew()) {
		char t[TIME_LEN];
		clock_time(clock_now(), t);
		log_info("the clock is set: now is %s (%+lld s from the real time)", t,
			 (long long)clock_skew());
	}
	/* PostgreSQL: log partitions for this month and 3 more, then hourly. */
	struct partition_keeper *keeper;
	struct err_info ei = {0};
	if (partition_keeper_start(db, &keeper, &ei)) {
		fprintf(stderr, "%s: %s\n", prog, ei.message);
		return 1;
	}
	/* One group-commit writer for the hot write paths (scans, screenings). */
	cfg.batch = batch_start(db, 256);
	if (!cfg.batch) {
		partition_keeper_stop(keeper);
		fprintf(stderr, "%s: cannot start the group-commit writer\n", prog);
		return 1;
	}
	int rc = server_run(&cfg);
	batch_stop(cfg.batch); /* after the server: every acknowledged write is in */
	partition_keeper_stop(keeper);
	return rc;
}

static int cmd_serve(int argc, char **argv)
{
	struct opts o = {0};
	int rc = parse_opts("serve", argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (optind < argc)
		return bad_usage("serve", "unexpected argument '%s'", argv[optind]);
	struct db *db;
	if (open_db(o.db ? o.db : "var/cordon.db", 0, &db))
		return 1;
	if (keys_ready(db, o.db ? o.db : "var/cordon.db", o.key_file)) {
		db_close(db);
		return 1;
	}
	rc = serve_db(db, &o);
	db_close(db);
	return rc;
}

/* Creates the admin user on an open writer (inside the caller's tx). */
static int add_user(struct dbc *c, const char *username, const char *name, const char *role,
		    int64_t scope, const char *password)
{
	char hash[AUTH_HASH_LEN];
	if (auth_hash_password(password, hash))
		return ERR_NOMEM;
	int64_t now = clock_now();
	int64_t n = db_run(c,
			   "INSERT INTO users(username, name, role, scope_unit_id, pw_hash,"
			   " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
			   "tttiti", username, name, role, scope, hash, now);
	return n < 0 ? (int)n : 0;
}

static int cmd_init(int argc, char **argv)
{
	struct opts o = {0};
	int rc = parse_opts("init", argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (optind < argc)
		return bad_usage("init", "unexpected argument '%s'", argv[optind]);
	if (!units_code_valid(o.district_code))
		return bad_usage("init", "--district-code '%s' must be letters, digits or '-'",
				 o.district_code);
	const char *path = o.db ? o.db : "var/cordon.db";
	char pw[160];
	if (o.admin_pw_file) {
		if (read_password(o.admin_pw_file, pw, sizeof pw))
			return 1;
	} else {
		auth_new_token(pw, sizeof pw, 12);
	}
	struct db *db;
	if (open_db(path, 1, &db))
		return 1;
	struct dbc *c = db_acquire(db, DB_WRITE);
	int64_t n = 0;
	db_one_int(c, &n, "SELECT COUNT(*) FROM users", "");
	if (n > 0) {
		db_release(db, c);
		db_close(db);
		fprintf(stderr, "%s: %s already has users; nothing done\n", prog, path);
		return 1;
	}
	/* PostgreSQL: log partitions from 2020-01 (records a district brings
	 * along, the demo's dates) to 3 months ahead. */
	struct err_info pei = {0};
	int64_t from = 0;
	partition_month_parse("2020-01", &from);
	if (partition_ensure(c, from, partition_month_add(clock_now(), PARTITION_AHEAD_MONTHS),
			     &pei) < 0) {
		db_release(db, c);
		db_close(db);
		fprintf(stderr, "%s: %s\n", prog, pei.message);
		return 1;
	}
	int64_t district = 0;
	rc = db_begin(c);
	if (!rc && db_one_int(c, &district, "SELECT id FROM units WHERE parent_id IS NULL", "") != 1)
		rc = units_insert(c, 0, "district", o.district_code, o.district_name, NULL, &district);
	if (!rc)
		rc = add_user(c, "admin", "系统管理员", "admin", district, pw);
	if (!rc)
		rc = db_commit(c);
	else
		db_rollback(c);
	db_release(db, c);
	db_close(db);
	if (rc) {
		fprintf(stderr, "%s: init failed: %s\n", prog, err_str(rc));
		return 1;
	}
	printf("created %s: district %s %s, user admin\n", path, o.district_code, o.district_name);
	if (!o.admin_pw_file)
		printf("admin password (shown once): %s\n", pw);
	return 0;
}

static int demo_current(const char *path)
{
	if (!db_is_url(path) && access(path, F_OK) != 0)
		return 0;
	struct db *db;
	struct err_info ei = {0};
	if (db_open(path, 0, &db, &ei))
		return 0;
	struct dbc *c = db_acquire(db, DB_READ);
	int64_t v = 0;
	int ok = c && db_schema_version(c) == migrate_latest() &&
		 db_one_int(c, &v, "SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'demo_version'",
			    "") == 1 &&
		 v == DEMO_VERSION;
	/* a demo of another --scale is not the one asked for */
	int64_t sc = 1;
	if (ok && db_one_int(c, &sc, "SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'demo_scale'",
			     "") < 0)
		ok = 0;
	if (ok && sc != demo_scale())
		ok = 0;
	db_release(db, c);
	db_close(db);
	return ok;
}

static int cmd_demo(int argc, char **argv)
{
	struct opts o = {0};
	int rc = parse_opts("demo", argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (optind < argc)
		return bad_usage("demo", "unexpected argument '%s'", argv[optind]);
	demo_set_scale(o.scale ? o.scale : 1);
	const char *path = o.db ? o.db : "var/demo.db";
	struct db *db;
	int reused = 0;
	if (keys_ready(NULL, path, o.key_file))
		return 1;
	if (db_is_url(path)) {
		/* PostgreSQL: no file to swap in; build straight into an empty
		 * database (one transaction, so a failure leaves it empty). */
		reused = demo_current(path);
		if (!reused) {
			if (open_db(path, 1, &db))
				return 1;
			struct dbc *c = db_acquire(db, DB_READ);
			int64_t n = 0;
			db_one_int(c, &n, "SELECT COUNT(*) FROM units", "");
			db_release(db, c);
			struct err_info ei = {0};
			/* The demo's logs start in 2020-01: partitions from then. */
			int64_t from = 0;
			partition_month_parse("2020-01", &from);
			c = n ? NULL : db_acquire(db, DB_WRITE);
			rc = n ? 0
			       : partition_ensure(c, from,
						  partition_month_add(clock_now(), PARTITION_AHEAD_MONTHS),
						  &ei);
			db_release(db, c);
			rc = n ? err_set(&ei, ERR_CONFLICT, "db",
					 "the database is not empty; the demo needs an empty one")
			   : rc < 0 ? rc
				    : demo_build(db, o.seed, stdout, &ei);
			db_close(db);
			if (rc) {
				fprintf(stderr, "%s: demo failed: %s\n", prog, ei.message);
				return 1;
			}
		}
	} else if (!rebuild_flag && demo_current(path)) {
		printf("using the demo district in %s (--rebuild to build it anew)\n", path);
		reused = 1;
	} else {
		/* Build into a temporary file and rename, so an interrupted build
		 * never leaves half a district behind. */
		char tmp[4096];
		snprintf(tmp, sizeof tmp, "%s.building", path);
		unlink(tmp);
		char side[4200];
		snprintf(side, sizeof side, "%s-wal", tmp);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", tmp);
		unlink(side);
		struct err_info ei = {0};
		if (db_open(tmp, 1, &db, &ei)) {
			fprintf(stderr, "%s: %s\n", prog, ei.message);
			return 1;
		}
		double t0 = clock_ms();
		rc = demo_build(db, o.seed, stdout, &ei);
		db_close(db);
		if (rc) {
			fprintf(stderr, "%s: demo failed: %s\n", prog, ei.message);
			unlink(tmp);
			return 1;
		}
		snprintf(side, sizeof side, "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", path);
		unlink(side);
		if (rename(tmp, path)) {
			fprintf(stderr, "%s: cannot rename %s to %s: %s\n", prog, tmp, path,
				strerror(errno));
			return 1;
		}
		printf("demo district built in %s in %.1f s\n", path, (clock_ms() - t0) / 1000.0);
	}
	if (open_db(path, 0, &db))
		return 1;
	if (keys_ready(db, path, o.key_file)) {
		db_close(db);
		return 1;
	}
	if (reused) {
		/* A demo built weeks ago gets passes valid today again. */
		struct err_info ei = {0};
		if (demo_refresh(db, stdout, &ei)) {
			fprintf(stderr, "%s: demo failed: %s\n", prog, ei.message);
			db_close(db);
			return 1;
		}
	}
	demo_print_accounts(db, stdout);
	fflush(stdout);
	if (!o.no_serve)
		rc = serve_db(db, &o);
	db_close(db);
	return rc;
}

static void import_progress(void *arg, int64_t rows)
{
	fprintf(stderr, "%s: %lld rows read (%.1f s)\n", prog, (long long)rows,
		(clock_ms() - *(double *)arg) / 1000.0);
}

static int cmd_import(int argc, char **argv)
{
	struct opts o = {0};
	int rc = parse_opts("import", argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (argc - optind != 2 ||
	    (strcmp(argv[optind], "units") != 0 && strcmp(argv[optind], "persons") != 0))
		return bad_usage("import", "expected: import units|persons FILE%s", "");
	int persons = strcmp(argv[optind], "persons") == 0;
	const char *file = argv[optind + 1];
	FILE *f = fopen(file, "rb");
	if (!f) {
		fprintf(stderr, "%s: cannot read %s: %s\n", prog, file, strerror(errno));
		return 1;
	}
	struct stat stt;
	char *data = NULL;
	size_t len = 0;
	if (fstat(fileno(f), &stt) == 0 && S_ISREG(stt.st_mode)) {
		data = malloc((size_t)stt.st_size + 1);
		len = data ? fread(data, 1, (size_t)stt.st_size, f) : 0;
	}
	int read_err = ferror(f) || (data && len != (size_t)stt.st_size);
	fclose(f);
	if (!data || read_err) {
		fprintf(stderr, "%s: cannot read %s: %s\n", prog, file,
			data ? "read failed" : "not a regular file, or out of memory");
		free(data);
		return 1;
	}
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	struct db *db;
	if (open_db(o.db ? o.db : "var/cordon.db", 0, &db)) {
		free(data);
		return 1;
	}
	struct dbc *c = db_acquire(db, DB_WRITE);
	int64_t scope = o.scope;
	if (!scope)
		db_one_int(c, &scope, "SELECT id FROM units WHERE parent_id IS NULL", "");
	else if (db_one_int(c, NULL, "SELECT 1 FROM units WHERE id = $1", "i", scope) != 1) {
		fprintf(stderr, "%s: --scope %lld: no such unit\n", prog, (long long)scope);
		db_release(db, c);
		db_close(db);
		free(data);
		return 1;
	}
	json_t *rejects = NULL, *confirm = NULL;
	int64_t cr = 0, up = 0, rj = 0, disc = 0, held = 0;
	struct err_info ei = {0};
	double t0 = clock_ms();
	rc = db_begin(c);
	if (!rc && persons) {
		struct imports_opts io = {.scope_unit_id = scope,
					  .source = o.source ? o.source : base,
					  .filename = base,
					  .max_rejects = 1000,
					  .progress = import_progress,
					  .progress_arg = &t0};
		struct imports_result res;
		rc = imports_persons_csv(c, &io, data, len, &res, &ei);
		rejects = res.rejects;
		confirm = res.to_confirm;
		disc = res.discrepancies;
		held = res.held;
		cr = res.created;
		up = res.updated;
		rj = res.rejected;
		if (!rc)
			fprintf(stderr, "%s: batch %lld, %s, %lld rows in %.1f s\n", prog,
				(long long)res.batch_id, res.encoding, (long long)res.rows,
				(clock_ms() - t0) / 1000.0);
	} else if (!rc) {
		rejects = json_array();
		rc = units_import_csv(c, scope, data, len, &cr, &up, &rj, rejects, &ei);
	}
	if (!rc)
		rc = db_commit(c);
	else
		db_rollback(c);
	db_release(db, c);
	db_close(db);
	free(data);
	if (rc) {
		fprintf(stderr, "%s: %s: %s\n", prog, file, ei.message[0] ? ei.message : err_str(rc));
		json_decref(rejects);
		json_decref(confirm);
		return 1;
	}
	size_t i;
	json_t *rj_item;
	json_array_foreach(rejects, i, rj_item)
	fprintf(stderr, "line %lld: %s\n",
		(long long)json_integer_value(json_object_get(rj_item, "line")),
		json_string_value(json_object_get(rj_item, "reason")));
	if (persons && rj > (int64_t)json_array_size(rejects))
		fprintf(stderr, "... and %lld more rejected lines (GET /api/v1/imports/{id}/rejects.csv)\n",
			(long long)(rj - (int64_t)json_array_size(rejects)));
	json_decref(rejects);
	/* Rows whose person was not changed, or not wholly: for the person's
	 * unit to confirm (the 待核实 page). */
	json_array_foreach(confirm, i, rj_item)
	fprintf(stderr, "line %lld: not applied (%s), to confirm by the person's unit\n",
		(long long)json_integer_value(json_object_get(rj_item, "line")),
		json_string_value(json_object_get(rj_item, "kind")));
	json_decref(confirm);
	if (disc)
		printf("created %lld, updated %lld, rejected %lld, to confirm %lld (held %lld)\n",
		       (long long)cr, (long long)up, (long long)rj, (long long)disc,
		       (long long)held);
	else
		printf("created %lld, updated %lld, rejected %lld\n", (long long)cr,
		       (long long)up, (long long)rj);
	return 0;
}

static int cmd_user(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage_cmd("user", argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *sub = argv[1];
	struct opts o = {0};
	int rc = parse_opts("user", argc - 1, argv + 1, &o);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (optind < argc - 1)
		return bad_usage("user", "unexpected argument '%s'", argv[optind + 1]);
	const char *path = o.db ? o.db : "var/cordon.db";
	if (strcmp(sub, "add") == 0) {
		if (!o.username || !o.name || !o.role || !o.scope || !o.password_file)
			return bad_usage("user",
					 "user add needs --username, --name, --role, --scope and "
					 "--password-file%s",
					 "");
		if (!perm_role(o.role))
			return bad_usage("user", "unknown role '%s'", o.role);
		if (!users_username_valid(o.username))
			return bad_usage("user", "--username '%s' must be 3 to 32 of a-z 0-9 _ . -",
					 o.username);
		char pw[160];
		if (read_password(o.password_file, pw, sizeof pw))
			return 1;
		struct db *db;
		if (open_db(path, 0, &db))
			return 1;
		struct dbc *c = db_acquire(db, DB_WRITE);
		int64_t exists = 0;
		rc = db_one_int(c, &exists, "SELECT 1 FROM units WHERE id = $1", "i", o.scope);
		if (rc != 1) {
			db_release(db, c);
			db_close(db);
			fprintf(stderr, "%s: --scope %lld: no such unit\n", prog, (long long)o.scope);
			return 1;
		}
		rc = add_user(c, o.username, o.name, o.role, o.scope, pw);
		db_release(db, c);
		db_close(db);
		if (rc) {
			fprintf(stderr, "%s: %s\n", prog,
				rc == ERR_CONFLICT ? "that username exists" : err_str(rc));
			return 1;
		}
		printf("added user %s (%s)\n", o.username, o.role);
		return 0;
	}
	struct db *db;
	if (open_db(path, 0, &db))
		return 1;
	struct dbc *c = db_acquire(db, DB_WRITE);
	rc = 0;
	if (strcmp(sub, "list") == 0) {
		struct dbq *q = db_query(c,
					 "SELECT u.id, u.username, u.name, u.role, un.name, u.disabled"
					 " FROM users u JOIN units un ON un.id = u.scope_unit_id"
					 " ORDER BY u.id",
					 "");
		printf("%-5s %-20s %-12s %-18s %-8s %s\n", "id", "username", "name", "role",
		       "status", "scope");
		while (q && db_step(q) == 1)
			printf("%-5lld %-20s %-12s %-18s %-8s %s\n", (long long)db_int(q, 0),
			       db_text(q, 1), db_text(q, 2), db_text(q, 3),
			       db_int(q, 5) ? "disabled" : "active", db_text(q, 4));
		db_done(q);
	} else if (strcmp(sub, "passwd") == 0 || strcmp(sub, "disable") == 0) {
		int passwd = strcmp(sub, "passwd") == 0;
		char pw[160], hash[AUTH_HASH_LEN];
		if (!o.username)
			rc = bad_usage("user", "user %s needs --username", sub);
		else if (passwd && !o.password_file)
			rc = bad_usage("user", "user passwd needs --password-file%s", "");
		else if (passwd && (read_password(o.password_file, pw, sizeof pw) ||
				    auth_hash_password(pw, hash)))
			rc = 1;
		if (!rc) {
			int64_t n = passwd ? db_run(c,
						    "UPDATE users SET pw_hash = $1, updated_at = $2"
						    " WHERE username = $3",
						    "tit", hash, clock_now(), o.username)
					   : db_run(c,
						    "UPDATE users SET disabled = 1, updated_at = $1"
						    " WHERE username = $2",
						    "it", clock_now(), o.username);
			if (n == 1)
				db_run(c,
				       "DELETE FROM sessions WHERE user_id ="
				       " (SELECT id FROM users WHERE username = $1)",
				       "t", o.username);
			if (n != 1) {
				fprintf(stderr, "%s: no user %s\n", prog, o.username);
				rc = 1;
			} else {
				printf("%s %s\n", passwd ? "password changed for" : "disabled",
				       o.username);
			}
		}
	} else {
		rc = bad_usage("user", "unknown user command '%s'", sub);
	}
	db_release(db, c);
	db_close(db);
	return rc;
}

struct backup_progress {
	double t0, last;
};

/* Progress on stderr about every 2 s: pages copied of the snapshot's. */
static void backup_progress(void *arg, int64_t done, int64_t total)
{
	struct backup_progress *p = arg;
	double now = clock_ms();
	if (now - p->last < 2000 && done < total)
		return;
	p->last = now;
	fprintf(stderr, "%s: backup %lld of %lld pages (%.0f%%, %.1f s)\n", prog, (long long)done,
		(long long)total, total ? 100.0 * (double)done / (double)total : 100.0,
		(now - p->t0) / 1000.0);
}

static int cmd_backup(int argc, char **argv)
{
	struct opts o = {0};
	int rc = parse_opts("backup", argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (argc - optind != 1)
		return bad_usage("backup", "expected one DEST%s", "");
	const char *dest = argv[optind];
	if (access(dest, F_OK) == 0) {
		fprintf(stderr, "%s: %s exists; choose a new file\n", prog, dest);
		return 1;
	}
	struct db *db;
	const char *path = o.db ? o.db : "var/cordon.db";
	if (open_db(path, 0, &db))
		return 1;
	/* Keys still stored plain (a database not served since the key file
	 * came) are sealed first: a backup never carries a usable signing key. */
	if (keys_ready(db, path, o.key_file)) {
		db_close(db);
		return 1;
	}
	struct err_info ei = {0};
	struct backup_progress bp = {.t0 = clock_ms(), .last = clock_ms()};
	rc = db_backup(db, dest, backup_progress, &bp, &ei);
	db_close(db);
	if (rc) {
		fprintf(stderr, "%s: %s\n", prog, ei.message);
		return 1;
	}
	struct stat st;
	double mb = stat(dest, &st) == 0 ? (double)st.st_size / (1024.0 * 1024.0) : 0;
	printf("backed up to %s: %.1f MB in %.1f s (one snapshot, file mode 0600)\n", dest, mb,
	       (clock_ms() - bp.t0) / 1000.0);
	printf("pass signing keys: stored sealed in the backup; the key file %s is not in it:"
	       " back it up apart (docs/operations.md)\n", passes_key_path());
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	struct opts o = {0};
	int rc = parse_opts("version", argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : rc;
	printf("cordon %s (schema %d, sqlite %s)\n", CORDON_VERSION, migrate_latest(),
	       sqlite_version_text());
	if (o.db) {
		struct db *db;
		if (open_db(o.db, 0, &db))
			return 1;
		struct dbc *c = db_acquire(db, DB_READ);
		printf("%s: schema %d\n", o.db, c ? db_schema_version(c) : -1);
		db_close(db);
	}
	return 0;
}

static int cmd_copy(int argc, char **argv)
{
	static const struct option copyopts[] = {
		{"from", required_argument, 0, 'f'},
		{"to", required_argument, 0, 't'},
		{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	const char *from = NULL, *to = NULL;
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "h", copyopts, NULL)) != -1) {
		switch (c) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'h': usage_cmd("copy", stdout); return 0;
		case ':': return bad_usage("copy", "option %s needs a value", argv[optind - 1]);
		default: return bad_usage("copy", "unknown option %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return bad_usage("copy", "unexpected argument '%s'", argv[optind]);
	if (!from || !to)
		return bad_usage("copy", "copy needs --from SOURCE and --to TARGET%s", "");
	log_set_quiet(1); /* no "applied migration" lines amid the report */
	struct err_info ei = {0};
	int rc = copy_database(from, to, stdout, &ei);
	if (rc) {
		fprintf(stderr, "%s: copy failed: %s\n", prog, ei.message[0] ? ei.message : err_str(rc));
		return 1;
	}
	char buf[4200];
	printf("pass signing keys: copied as stored (sealed with SOURCE's key file %s); serve"
	       " TARGET with --key-file naming that file, or new passes get a new key\n",
	       key_file_of(from, getenv("CORDON_KEY_FILE"), buf, sizeof buf));
	return 0;
}

static void print_partition(void *arg, const struct partition_info *p)
{
	char a[PARTITION_MONTH_LEN];
	partition_month_text(p->from, a);
	(void)arg;
	printf("%-14s %-24s %-8s %12lld %10lld kB  %s\n", p->table, p->name, a, (long long)p->rows,
	       (long long)(p->bytes / 1024), p->attached ? "attached" : "DETACHED: dump and drop");
}

static int cmd_partitions(int argc, char **argv)
{
	static const struct option partopts[] = {
		{"db", required_argument, 0, 'd'},
		{"pg", required_argument, 0, 'p'},
		{"from", required_argument, 0, 'f'},
		{"months", required_argument, 0, 'm'},
		{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage_cmd("partitions", argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *sub = argv[1];
	const char *path = getenv("CORDON_PG") && *getenv("CORDON_PG") ? getenv("CORDON_PG")
								      : getenv("CORDON_DB");
	const char *from_s = NULL;
	int months = PARTITION_AHEAD_MONTHS + 1;
	char *end;
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc - 1, argv + 1, "h", partopts, NULL)) != -1) {
		switch (c) {
		case 'd': path = optarg; break;
		case 'p':
			if (!db_is_url(optarg))
				return bad_usage("partitions", "--pg needs a postgresql:// URL, not '%s'",
						 optarg);
			path = optarg;
			break;
		case 'f': from_s = optarg; break;
		case 'm':
			months = (int)strtol(optarg, &end, 10);
			if (*end || months < 1 || months > PARTITION_MAX_MONTHS)
				return bad_usage("partitions", "--months must be 1..1200, not '%s'", optarg);
			break;
		case 'h': usage_cmd("partitions", stdout); return 0;
		case ':': return bad_usage("partitions", "option %s needs a value", argv[optind]);
		default: return bad_usage("partitions", "unknown option %s", argv[optind]);
		}
	}
	int npos = argc - 1 - optind;
	char **pos = argv + 1 + optind;
	int is_list = strcmp(sub, "list") == 0, is_ensure = strcmp(sub, "ensure") == 0,
	    is_detach = strcmp(sub, "detach") == 0;
	if (!is_list && !is_ensure && !is_detach)
		return bad_usage("partitions", "unknown partitions command '%s'", sub);
	if (is_detach && npos != 2)
		return bad_usage("partitions", "expected: partitions detach TABLE YYYY-MM%s", "");
	if (!is_detach && npos != 0)
		return bad_usage("partitions", "unexpected argument '%s'", pos[0]);
	int64_t from = partition_month_start(clock_now());
	if (from_s && partition_month_parse(from_s, &from))
		return bad_usage("partitions", "--from must be a month YYYY-MM, not '%s'", from_s);
	struct db *db;
	if (open_db(path ? path : "var/cordon.db", 0, &db))
		return 1;
	struct dbc *dc = db_acquire(db, DB_WRITE);
	struct err_info ei = {0};
	int rc = 0;
	if (strcmp(db_backend(dc), "postgresql") != 0) {
		printf("%s is a SQLite database: its logs are not partitioned\n", db_path(db));
	} else if (is_list) {
		printf("%-14s %-24s %-8s %12s %13s  %s\n", "table", "partition", "month", "rows",
		       "size", "state");
		rc = partition_list(dc, print_partition, NULL, &ei);
	} else if (is_ensure) {
		rc = partition_ensure(dc, from, partition_month_add(from, months - 1), &ei);
		if (rc >= 0) {
			char a[PARTITION_MONTH_LEN], b[PARTITION_MONTH_LEN];
			partition_month_text(from, a);
			partition_month_text(partition_month_add(from, months - 1), b);
			printf("created %d partitions (%s .. %s)\n", rc, a, b);
			rc = 0;
		}
	} else {
		rc = partition_detach(dc, pos[0], pos[1], &ei);
		if (!rc)
			printf("detached %s for %s; archive it with pg_dump -t, then DROP TABLE it\n",
			       pos[0], pos[1]);
	}
	db_release(db, dc);
	db_close(db);
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", prog, ei.message[0] ? ei.message : err_str(rc));
		return 1;
	}
	return 0;
}

/* `cordon report supplies`: see supplies_report (the format defaults to
 * xlsx; json is the bulletin's default, so it means "not given" here). */
static int report_supplies(const char *path, const char *day, const char *fmt, const char *out,
			   int64_t scope)
{
	int csv = strcmp(fmt, "csv") == 0;
	if (!csv && strcmp(fmt, "xlsx") != 0)
		return bad_usage("report", "--format must be xlsx or csv, not '%s'", fmt);
	if (day_valid(day))
		return bad_usage("report", "--day must be a date YYYY-MM-DD, not '%s'", day);
	char name[64];
	if (!csv && !out) {
		snprintf(name, sizeof name, "supplies-%s.xlsx", day);
		out = name;
	}
	log_set_quiet(1);
	struct db *db;
	if (open_db(path ? path : "var/cordon.db", 0, &db))
		return 1;
	struct err_info ei = {0};
	struct dbc *dc = db_acquire(db, DB_READ);
	int rc = dc ? 0 : ERR_DB;
	if (!rc && !scope &&
	    db_one_int(dc, &scope, "SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1",
		       "") != 1)
		rc = err_set(&ei, ERR_NOT_FOUND, "", "the database has no district unit");
	if (!rc)
		rc = supplies_report(dc, scope, day, csv, out, &ei);
	if (dc)
		db_release(db, dc);
	db_close(db);
	if (rc) {
		fprintf(stderr, "%s: %s\n", prog, ei.message[0] ? ei.message : err_str(rc));
		return 1;
	}
	if (!csv)
		printf("wrote %s\n", out);
	return 0;
}

/* `cordon report bulletin`: the same bulletin as GET /api/v1/bulletin, for
 * the whole district unless --scope names a unit. */
static int cmd_report(int argc, char **argv)
{
	static const struct option repopts[] = {
		{"db", required_argument, 0, 'd'},   {"pg", required_argument, 0, 'p'},
		{"day", required_argument, 0, 'D'},  {"format", required_argument, 0, 'f'},
		{"out", required_argument, 0, 'o'},  {"scope", required_argument, 0, 's'},
		{"tz", required_argument, 0, 'z'},   {"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage_cmd("report", argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	int supplies = strcmp(argv[1], "supplies") == 0;
	if (strcmp(argv[1], "bulletin") != 0 && !supplies)
		return bad_usage("report", "unknown report '%s' (there are: bulletin, supplies)",
				 argv[1]);
	const char *path = getenv("CORDON_PG") && *getenv("CORDON_PG") ? getenv("CORDON_PG")
								      : getenv("CORDON_DB");
	const char *day = NULL, *fmt = "json", *out = NULL, *tz = getenv("CORDON_TZ");
	int64_t scope = 0;
	char *end;
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc - 1, argv + 1, "h", repopts, NULL)) != -1) {
		switch (c) {
		case 'd': path = optarg; break;
		case 'p':
			if (!db_is_url(optarg))
				return bad_usage("report", "--pg needs a postgresql:// URL, not '%s'", optarg);
			path = optarg;
			break;
		case 'D': day = optarg; break;
		case 'f': fmt = optarg; break;
		case 'o': out = optarg; break;
		case 'z': tz = optarg; break;
		case 's':
			scope = strtoll(optarg, &end, 10);
			if (*end || scope < 1)
				return bad_usage("report", "--scope must be a unit id, not '%s'", optarg);
			break;
		case 'h': usage_cmd("report", stdout); return 0;
		case ':': return bad_usage("report", "option %s needs a value", argv[optind]);
		default: return bad_usage("report", "unknown option %s", argv[optind]);
		}
	}
	if (optind + 1 < argc)
		return bad_usage("report", "unexpected argument '%s'", argv[optind + 1]);
	if (tz ? clock_set_tz(tz) : clock_set_tz("Asia/Shanghai"))
		return bad_usage("report", "--tz: no such time zone '%s'", tz);
	if (!day)
		return bad_usage("report", "report %s needs --day YYYY-MM-DD", argv[1]);
	if (supplies)
		return report_supplies(path, day, strcmp(fmt, "json") == 0 ? "xlsx" : fmt, out, scope);
	int64_t day_end;
	struct err_info ei = {0};
	if (bulletin_day(day, &day_end, &ei))
		return bad_usage("report", "--day must be a date YYYY-MM-DD, not '%s'", day);
	int is_json = strcmp(fmt, "json") == 0, is_html = strcmp(fmt, "html") == 0,
	    is_xlsx = strcmp(fmt, "xlsx") == 0;
	if (!is_json && !is_html && !is_xlsx)
		return bad_usage("report", "--format must be json, xlsx or html, not '%s'", fmt);
	char xlsx_name[64];
	if (is_xlsx && !out) {
		snprintf(xlsx_name, sizeof xlsx_name, "bulletin-%s.xlsx", day);
		out = xlsx_name;
	}
	log_set_quiet(1);
	struct db *db;
	if (open_db(path ? path : "var/cordon.db", 0, &db))
		return 1;
	struct dbc *dc = db_acquire(db, DB_READ);
	int rc = dc ? 0 : ERR_DB;
	if (!rc && !scope &&
	    db_one_int(dc, &scope, "SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1",
		       "") != 1)
		rc = err_set(&ei, ERR_NOT_FOUND, "", "the database has no district unit");
	struct bulletin *b = calloc(1, sizeof *b);
	if (!rc && !b)
		rc = ERR_NOMEM;
	if (!rc)
		rc = bulletin_compute(dc, scope, day, b, &ei);
	db_release(db, dc);
	db_close(db);
	if (!rc && is_xlsx) {
		if (bulletin_xlsx(b, out))
			rc = err_set(&ei, ERR_INTERNAL, "", "cannot write %s", out);
		else
			printf("wrote %s\n", out);
	} else if (!rc) {
		struct buf text = {0};
		if (is_html) {
			bulletin_html(b, &text);
		} else {
			json_t *j = bulletin_json(b);
			char *s = j ? json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(6)) : NULL;
			json_decref(j);
			if (s)
				buf_printf(&text, "%s\n", s);
			free(s);
		}
		FILE *f = out ? fopen(out, "w") : stdout;
		if (!f || fputs(buf_str(&text), f) < 0)
			rc = err_set(&ei, ERR_INTERNAL, "", "cannot write %s", out ? out : "stdout");
		if (f && f != stdout && fclose(f))
			rc = err_set(&ei, ERR_INTERNAL, "", "cannot write %s", out);
		buf_free(&text);
	}
	free(b);
	if (rc) {
		fprintf(stderr, "%s: %s\n", prog, ei.message[0] ? ei.message : err_str(rc));
		return 1;
	}
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int, char **);
} commands[] = {
	{"serve", cmd_serve}, {"init", cmd_init},     {"demo", cmd_demo},
	{"import", cmd_import}, {"user", cmd_user}, {"backup", cmd_backup},
	{"version", cmd_version}, {"copy", cmd_copy}, {"partitions", cmd_partitions},
	{"report", cmd_report},
};

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "%s: libsodium failed to initialise\n", prog);
		return 1;
	}
	/* The Chinese messages; a bad entry is a build's bug, said once. */
	err_catalog_load(err_catalogs, 1);
	if (argc < 2) {
		usage_main(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage_main(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(1, argv);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, argv[1]) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[1]);
	usage_main(stderr);
	return 2;
}
