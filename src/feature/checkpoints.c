/* Checkpoints (卡点, DOMAIN.md §2); see checkpoints.h. This part holds the
 * plate rules; the routes follow. */
#include "checkpoints.h"

#include <stdio.h>
#include <string.h>

/* The province characters of GA 36-2018 with their province. */
static const struct {
	const char *ch, *name, *code;
} provinces[] = {
	{"京", "北京市", "110000"}, {"津", "天津市", "120000"}, {"冀", "河北省", "130000"},
	{"晋", "山西省", "140000"}, {"蒙", "内蒙古自治区", "150000"}, {"辽", "辽宁省", "210000"},
	{"吉", "吉林省", "220000"}, {"黑", "黑龙江省", "230000"}, {"沪", "上海市", "310000"},
	{"苏", "江苏省", "320000"}, {"浙", "浙江省", "330000"}, {"皖", "安徽省", "340000"},
	{"闽", "福建省", "350000"}, {"赣", "江西省", "360000"}, {"鲁", "山东省", "370000"},
	{"豫", "河南省", "410000"}, {"鄂", "湖北省", "420000"}, {"湘", "湖南省", "430000"},
	{"粤", "广东省", "440000"}, {"桂", "广西壮族自治区", "450000"}, {"琼", "海南省", "460000"},
	{"渝", "重庆市", "500000"}, {"川", "四川省", "510000"}, {"贵", "贵州省", "520000"},
	{"云", "云南省", "530000"}, {"藏", "西藏自治区", "540000"}, {"陕", "陕西省", "610000"},
	{"甘", "甘肃省", "620000"}, {"青", "青海省", "630000"}, {"宁", "宁夏回族自治区", "640000"},
	{"新", "新疆维吾尔自治区", "650000"},
};

static int letter(char c)
{
	return c >= 'A' && c <= 'Z' && c != 'I' && c != 'O';
}

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

int checkpoints_plate(const char *in, struct plate *out, const char *field, struct err_info *ei)
{
	/* Normalise: drop spaces, dots and middle dots; upper-case letters. */
	char s[64];
	size_t n = 0;
	for (const char *p = in; *p;) {
		if (*p == ' ' || *p == '.' || *p == '-' || *p == '\t') {
			p++;
			continue;
		}
		if (strncmp(p, "·", strlen("·")) == 0) {
			p += strlen("·");
			continue;
		}
		if (n + 1 >= sizeof s)
			return err_set(ei, ERR_INVALID, field, "is too long for a plate");
		char c = *p++;
		s[n++] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
	}
	s[n] = 0;
	size_t i;
	const char *rest = NULL;
	for (i = 0; i < sizeof provinces / sizeof provinces[0]; i++) {
		size_t l = strlen(provinces[i].ch);
		if (strncmp(s, provinces[i].ch, l) == 0) {
			rest = s + l;
			break;
		}
	}
	if (!rest)
		return err_set(ei, ERR_INVALID, field,
			       "must start with a province character such as 宁 or 京");
	size_t rl = strlen(rest);
	if (rl != 6 && rl != 7)
		return err_set(ei, ERR_INVALID, field,
			       "must have 7 characters (8 for a new-energy plate), not %zu", rl + 1);
	if (!letter(rest[0]))
		return err_set(ei, ERR_INVALID, field,
			       "the second character must be a letter (not I or O)");
	int ne = 0;
	if (rl == 6) {
		for (size_t k = 1; k < 6; k++)
			if (!letter(rest[k]) && !digit(rest[k]))
				return err_set(ei, ERR_INVALID, field,
					       rest[k] == 'I' || rest[k] == 'O'
						       ? "I and O are not used on plates"
						       : "after the letter come 5 letters or digits");
	} else if (rest[1] == 'D' || rest[1] == 'F') {
		/* Small new-energy car: D/F, a letter or digit, then 4 digits. */
		if (!letter(rest[2]) && !digit(rest[2]))
			return err_set(ei, ERR_INVALID, field,
				       "a new-energy plate has a letter or digit after D/F");
		for (size_t k = 3; k < 7; k++)
			if (!digit(rest[k]))
				return err_set(ei, ERR_INVALID, field,
					       "a small new-energy plate ends in 4 digits");
		ne = 1;
	} else if (rest[6] == 'D' || rest[6] == 'F') {
		/* Large new-energy vehicle: 5 digits, then D/F. */
		for (size_t k = 1; k < 6; k++)
			if (!digit(rest[k]))
				return err_set(ei, ERR_INVALID, field,
					       "a large new-energy plate has 5 digits before D/F");
		ne = 2;
	} else {
		return err_set(ei, ERR_INVALID, field,
			       "an 8-character plate is new-energy: D or F third or last");
	}
	snprintf(out->number, sizeof out->number, "%s", s);
	snprintf(out->province, sizeof out->province, "%s", provinces[i].name);
	snprintf(out->province_code, sizeof out->province_code, "%s", provinces[i].code);
	out->new_energy = ne;
	return 0;
}

/* placeholder routes: replaced by the real ones */
static int todo(struct req *r)
{
	return err_set(&r->err, ERR_NOT_FOUND, "", "not yet");
}
static const struct route routes[] = {{"GET", "/api/v1/_checkpoints", todo, P_UNITS_READ, 0, 0, ""}};
ROUTE_TABLE(checkpoints_routes, routes);
