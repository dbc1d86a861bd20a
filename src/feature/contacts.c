/* Trajectories and close contacts (DOMAIN.md §5, Rules: close contact,
 * medical observation): a case's stays — typed from interviews and lists,
 * or taken from the gate-scan and checkpoint logs, where they are proposed
 * rather than typed — and the contact candidates the district's own logs
 * give: the household, everyone scanned at the same gate within the window,
 * everyone in the same vehicle or train screened at a checkpoint, everyone
 * recorded at a typed place in the same time, from 2 days before onset
 * until the case was isolated. An officer decides each candidate; a close
 * contact is isolated in the same transaction and turns red at once. The
 * network view links cases, contacts and contacts who became cases. */
#include "cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------- pure rules ---------- */

int contacts_within(int64_t a, int64_t b, int window_min)
{
	int64_t d = a > b ? a - b : b - a;
	return d <= (int64_t)window_min * 60;
}

int64_t contacts_window_start(const char *onset_day, const char *report_day, int days_before)
{
	const char *base = onset_day && *onset_day ? onset_day : report_day;
	char d[DAY_LEN];
	if (!base || day_add(base, -days_before, d))
		return INT64_MIN;
	return day_start(d);
}

static int reason_same(const struct cand_reason *a, const struct cand_reason *b)
{
	return a->person_id == b->person_id && strcmp(a->kind, b->kind) == 0 &&
	       strcmp(a->place ? a->place : "", b->place ? b->place : "") == 0 &&
	       a->from == b->from && a->to == b->to;
}

/* Sort key: the order of the person's first reason, then the reason's. */
struct keyed {
	struct cand_reason r;
	int64_t first;
};

static int keyed_cmp(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	if (a->r.order != b->r.order)
		return a->r.order < b->r.order ? -1 : 1;
	return 0;
}

static int by_person(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	if (a->r.person_id != b->r.person_id)
		return a->r.person_id < b->r.person_id ? -1 : 1;
	return a->r.order < b->r.order ? -1 : a->r.order > b->r.order;
}

size_t contacts_merge(struct cand_reason *r, size_t n)
{
	if (n == 0)
		return 0;
	struct keyed *k = malloc(n * sizeof *k);
	if (!k)
		return n; /* unmerged but whole: better than nothing shown */
	for (size_t i = 0; i < n; i++)
		k[i] = (struct keyed){r[i], 0};
	/* Each person's first order: sort by person, then spread it. */
	qsort(k, n, sizeof *k, by_person);
	for (size_t i = 0; i < n; i++)
		k[i].first = (i > 0 && k[i].r.person_id == k[i - 1].r.person_id) ? k[i - 1].first
										   : k[i].r.order;
	qsort(k, n, sizeof *k, keyed_cmp);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		int dup = 0;
		for (size_t j = m; j-- > 0 && r[j].person_id == k[i].r.person_id;)
			if (reason_same(&r[j], &k[i].r)) {
				dup = 1;
				break;
			}
		if (!dup)
			r[m++] = k[i].r;
	}
	free(k);
	return m;
}

int contacts_observation_end(const char *decision, const char *last_exposure_day, int obs_days,
			     char end[DAY_LEN])
{
	end[0] = 0;
	if (!decision)
		return -1;
	if (strcmp(decision, "none") == 0)
		return 0;
	if (strcmp(decision, "close") != 0 && strcmp(decision, "general") != 0)
		return -1;
	if (!last_exposure_day || day_add(last_exposure_day, obs_days, end)) {
		end[0] = 0;
		return -1;
	}
	return 0;
}
