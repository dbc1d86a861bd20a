/* Time: instants are Unix seconds (UTC); calendar days are local to the
 * district's time zone as "YYYY-MM-DD". All day arithmetic goes through here
 * so no feature computes dates by hand. */
#ifndef CORDON_CLOCK_H
#define CORDON_CLOCK_H

#include <stdint.h>

#define DAY_LEN 11 /* "YYYY-MM-DD" plus NUL */

/* Sets the process time zone (e.g. "Asia/Shanghai"); returns 0, or -1 when
 * no such zone is installed. */
int clock_set_tz(const char *tz);
const char *clock_tz(void);
/* Current Unix time in seconds: the real time, or the set clock's. */
int64_t clock_now(void);
/* A set clock, for `serve`, `demo` and tests that need "today" to be a chosen
 * day (--clock / CORDON_CLOCK): from now on clock_now() answers `when` and
 * runs on from there at the real pace. Thread-safe. */
void clock_set_now(int64_t when);
/* The set clock's offset from the real time in seconds; 0 when none is set. */
int64_t clock_skew(void);
/* Parses a local time "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" or
 * "YYYY-MM-DD HH:MM[:SS]" (a day alone is its noon) in the district's
 * zone into *out. 0, or -1 when it is not one. */
int clock_parse_local(const char *s, int64_t *out);
/* Monotonic milliseconds, for durations. */
double clock_ms(void);
/* Local calendar day of an instant, written into out[DAY_LEN]. */
void clock_day(int64_t t, char out[DAY_LEN]);
#define TIME_LEN 20 /* "YYYY-MM-DD HH:MM:SS" plus NUL */
/* Local date and time of an instant, to the second, into out[TIME_LEN]. */
void clock_time(int64_t t, char out[TIME_LEN]);
/* Seconds the district's zone is ahead of UTC at instant t (28,800 for
 * Asia/Shanghai): spreadsheets hold wall-clock times, not instants. */
int64_t clock_offset(int64_t t);
/* 0 when s is a real date "YYYY-MM-DD"; -1 otherwise. */
int day_valid(const char *s);
/* Days since 1970-01-01 for a valid day string, or INT32_MIN. */
int32_t day_number(const char *s);
/* Writes the day n days after s (n may be negative); -1 if s is invalid. */
int day_add(const char *s, int n, char out[DAY_LEN]);
/* Whole days from a to b (b - a); INT32_MIN if either is invalid. */
int32_t day_diff(const char *a, const char *b);
/* Unix time of local midnight starting day s, or INT64_MIN if invalid. */
int64_t day_start(const char *s);

#endif
