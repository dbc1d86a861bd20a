/* Clock and calendar days; see clock.h. Day arithmetic uses Howard
 * Hinnant's civil-date algorithms, so it needs no time zone and no tables. */
#include "clock.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char tzname_buf[64] = "Asia/Shanghai";

int clock_set_tz(const char *tz)
{
	char path[256];
	if (!tz || !*tz || strlen(tz) >= sizeof tzname_buf || strstr(tz, ".."))
		return -1;
	if (strcmp(tz, "UTC") != 0) {
		snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
		if (access(path, R_OK) != 0)
			return -1;
	}
	snprintf(tzname_buf, sizeof tzname_buf, "%s", tz);
	setenv("TZ", tz, 1);
	tzset();
	return 0;
}

const char *clock_tz(void)
{
	return tzname_buf;
}

/* Seconds added to the real time (a set clock); read on every clock_now. */
static _Atomic int64_t skew;

int64_t clock_now(void)
{
	return (int64_t)time(NULL) + skew;
}

void clock_set_now(int64_t when)
{
	skew = when - (int64_t)time(NULL);
}

int64_t clock_skew(void)
{
	return skew;
}

int clock_parse_local(const char *s, int64_t *out)
{
	if (!s || strlen(s) < 10)
		return -1;
	char day[DAY_LEN];
	memcpy(day, s, 10);
	day[10] = 0;
	int64_t t = day_start(day);
	if (t == INT64_MIN)
		return -1;
	const char *p = s + 10;
	if (!*p) {
		*out = t + 12 * 3600;
		return 0;
	}
	if (*p != 'T' && *p != ' ')
		return -1;
	unsigned h, m, sec = 0;
	int n = 0;
	if (sscanf(p + 1, "%2u:%2u%n", &h, &m, &n) != 2)
		return -1;
	p += 1 + n;
	if (*p == ':') {
		n = 0;
		if (sscanf(p + 1, "%2u%n", &sec, &n) != 1 || n != 2)
			return -1;
		p += 1 + n;
	}
	if (*p || h > 23 || m > 59 || sec > 59)
		return -1;
	*out = t + (int64_t)h * 3600 + m * 60 + sec;
	return 0;
}

double clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Writes YYYY-MM-DD by hand: the values are in range, and snprintf's
 * truncation warnings cannot know that. */
static void fmt_day(int y, unsigned m, unsigned d, char out[DAY_LEN])
{
	y = ((y % 10000) + 10000) % 10000;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10 % 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10 % 10);
	out[9] = (char)('0' + d % 10);
	out[10] = 0;
}

void clock_day(int64_t t, char out[DAY_LEN])
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	fmt_day(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday, out);
}

void clock_time(int64_t t, char out[TIME_LEN])
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	fmt_day(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday, out);
	snprintf(out + DAY_LEN - 1, TIME_LEN - DAY_LEN + 1, " %02u:%02u:%02u",
		 (unsigned)tm.tm_hour % 24u, (unsigned)tm.tm_min % 60u, (unsigned)tm.tm_sec % 61u);
}

int64_t clock_offset(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	return (int64_t)tm.tm_gmtoff;
}

static int32_t days_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int32_t)doe - 719468;
}

static void civil_from_days(int32_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int yy = (int)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

static int parse(const char *s, int *y, unsigned *m, unsigned *d)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	/* The digits are checked: arithmetic, not atoi (bulk imports parse
	 * dates twice a row). */
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	*d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (*y < 1800 || *m < 1 || *m > 12 || *d < 1)
		return -1;
	unsigned max = mdays[*m - 1];
	int leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	if (*m == 2 && leap)
		max = 29;
	return *d <= max ? 0 : -1;
}

int day_valid(const char *s)
{
	int y;
	unsigned m, d;
	return parse(s, &y, &m, &d);
}

int32_t day_number(const char *s)
{
	int y;
	unsigned m, d;
	if (parse(s, &y, &m, &d))
		return INT32_MIN;
	return days_from_civil(y, m, d);
}

int day_add(const char *s, int n, char out[DAY_LEN])
{
	int32_t z = day_number(s);
	if (z == INT32_MIN)
		return -1;
	int y;
	unsigned m, d;
	civil_from_days(z + n, &y, &m, &d);
	fmt_day(y, m, d, out);
	return 0;
}

int32_t day_diff(const char *a, const char *b)
{
	int32_t za = day_number(a), zb = day_number(b);
	if (za == INT32_MIN || zb == INT32_MIN)
		return INT32_MIN;
	return zb - za;
}

int64_t day_start(const char *s)
{
	int y;
	unsigned m, d;
	if (parse(s, &y, &m, &d))
		return INT64_MIN;
	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = (int)m - 1;
	tm.tm_mday = (int)d;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}
