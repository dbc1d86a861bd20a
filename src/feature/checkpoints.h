/* Checkpoints (卡点, DOMAIN.md §2): road and rail checkpoints, 24-hour
 * shifts with sign-in and sign-out, road screening of vehicles and their
 * occupants, rail screening of trains, and the counts the bulletin reports.
 * Also the vehicle plate rules (GA 36-2018). */
#ifndef CORDON_CHECKPOINTS_H
#define CORDON_CHECKPOINTS_H

#include <stddef.h>
#include <stdint.h>

#include "../base/clock.h"
#include "../http/http.h"

extern const struct route_table checkpoints_routes;
extern const struct route_table checkpoint_screening_routes; /* checkpoint_screening.c */

struct plate {
	char number[64];     /* normalised: upper case, no spaces or dots, e.g. "宁A12345" */
	char province[48];   /* the province the plate belongs to, e.g. "宁夏回族自治区" */
	char province_code[7]; /* its GB/T 2260 code, e.g. "640000" */
	int new_energy;      /* 0 ordinary, 1 small new-energy, 2 large new-energy */
};

/* Validates a plate: a province character, a letter (no I or O), then 5
 * letters or digits (no I or O); or a new-energy plate of 8 characters with
 * D or F in the third place (small) or at the end (large). 0 with *out
 * filled, or ERR_INVALID naming field with what is wrong. */
int checkpoints_plate(const char *in, struct plate *out, const char *field, struct err_info *ei);

/* ---- shifts and duty (pure rules) ---- */

#define CHECKPOINTS_MAX_TEAMS 8

/* One shift of a roster. */
struct roster_shift {
	char day[DAY_LEN]; /* the local day it starts on */
	int slot;          /* 0 .. shifts a day - 1 */
	int team;          /* index into the roster's teams */
	int64_t starts_at, ends_at;
};

/* Lays out 四班三运转 for `days` days from `from` (YYYY-MM-DD): 24 /
 * shift_hours shifts a day from local midnight, shift i of the roster
 * going to team (first_team + i) mod nteams: an extension passes the team
 * after the last shift laid out, so the cycle continues instead of
 * restarting at team A (which gave A 16 hours straight and D 40 off). With four teams and three 8-hour shifts each
 * team works one shift in four and rests at least 16 hours between shifts:
 * day 1 A B C, day 2 D A B, day 3 C D A, day 4 B C D. Writes into out (at
 * most cap) and returns the number of shifts, or -1 when from is not a day,
 * days < 1, nteams is not 1..CHECKPOINTS_MAX_TEAMS, shift_hours does not
 * divide 24, or cap is too small. */
int checkpoints_roster(const char *from, int days, int nteams, int shift_hours, int first_team,
		       struct roster_shift *out, size_t cap);

/* A span of time [from, to) in Unix seconds. */
struct span {
	int64_t from, to;
};

/* The parts of [from, to) that no span covers (gaps in cover), in order,
 * into out (at most cap). spans must be sorted by `from`. Returns the
 * number of gaps, or -1 when there are more than cap. */
int checkpoints_gaps(const struct span *spans, size_t n, int64_t from, int64_t to,
		     struct span *out, size_t cap);

/* The shift (index into shifts) a sign-in at t belongs to: the one starting
 * soonest within the next hour (the incoming team signs in early), else
 * the one covering t; -1 when none. */
int checkpoints_duty_shift(const struct span *shifts, size_t n, int64_t t);

/* When a person on duty should have signed out: their shift's end, or 12
 * hours after signing in when they signed in outside any shift
 * (shift_ends_at 0). Signed in, not out and past this instant is a missing
 * sign-out. */
int64_t checkpoints_duty_due(int64_t signed_in_at, int64_t shift_ends_at);

/* ---- screening (pure rules) ---- */

/* A temperature in °C (36.6) as tenths (366), rounded to the nearest
 * tenth. 0, or -1 when it is not a reading a thermometer gives (30.0 ..
 * 45.0 °C). */
int checkpoints_temperature(double celsius, int *tenths);

/* 1 when an arrival from an area of this grade is registered at a
 * checkpoint and handed to its destination: severe, heavy, other_province,
 * high, medium. */
int checkpoints_grade_registers(const char *grade);

enum disposition { DISP_PASS, DISP_REFERRAL, DISP_REGISTERED, DISP_HOLD };

/* What happens to one person screened (凡人必测): a temperature at or above
 * the threshold (tenths) is a referral to a fever clinic, whatever else
 * holds; otherwise an arrival from an area whose grade registers (grade
 * NULL: no origin known) is registered and handed to their community: by
 * document, or without one by name and phone (has_contact); with neither
 * the person is held until registered (DISP_HOLD: the screening is not
 * stored, the worker is told what to take down); otherwise pass. */
enum disposition checkpoints_disposition(int tenths, int threshold, const char *grade,
					 int has_document, int has_contact);
/* "pass", "referral", "registered", "held". */
const char *checkpoints_disposition_name(enum disposition d);

/* Why a vehicle's screening is flagged for follow-up, or NULL: an arrival
 * ("in") with a 鄂 plate (Hubei, 420000) and no origin stated for the
 * vehicle or any occupant ("hubei_plate_no_origin") — the plate says where
 * the car is from when nobody says where they travelled from. */
const char *checkpoints_follow_up(const char *direction, const char *plate_province_code,
				  int origin_stated);

/* A train number (车次): an optional class letter (G D C Z T K Y L S) and 1
 * to 5 digits, upper-cased, spaces dropped, into out[16]. 0 or -1. */
int checkpoints_train_no(const char *in, char out[16]);

#endif
