/* The client's address behind trusted proxies; see client_addr.h. */
#include "client_addr.h"

#include <stdio.h>
#include <string.h>

int client_addr_text(const char *text, size_t n, char out[INET6_ADDRSTRLEN])
{
	char b[INET6_ADDRSTRLEN + 1];
	while (n && (*text == ' ' || *text == '\t'))
		text++, n--;
	while (n && (text[n - 1] == ' ' || text[n - 1] == '\t'))
		n--;
	if (!n || n >= sizeof b)
		return 0;
	memcpy(b, text, n);
	b[n] = 0;
	unsigned char a[16];
	if (inet_pton(AF_INET, b, a) == 1)
		return inet_ntop(AF_INET, a, out, INET6_ADDRSTRLEN) != NULL;
	if (inet_pton(AF_INET6, b, a) == 1)
		return inet_ntop(AF_INET6, a, out, INET6_ADDRSTRLEN) != NULL;
	return 0;
}

int client_addr_trusted(const char *ip, const char *trusted)
{
	if (!trusted)
		return strcmp(ip, "::1") == 0 || strncmp(ip, "127.", 4) == 0 ||
		       strncmp(ip, "::ffff:127.", 11) == 0;
	for (const char *p = trusted; *p;) {
		while (*p == ',' || *p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ',' && *e != ' ')
			e++;
		/* Compared in canonical form, so "::0001" names ::1. */
		char one[INET6_ADDRSTRLEN];
		if (e > p && client_addr_text(p, (size_t)(e - p), one) && strcmp(one, ip) == 0)
			return 1;
		p = e;
	}
	return 0;
}

void client_addr_pick(const char *peer, const char *xff, const char *trusted,
		      char out[INET6_ADDRSTRLEN])
{
	snprintf(out, INET6_ADDRSTRLEN, "%s", peer);
	/* A header from anyone but our proxy is whatever the client chose to
	 * send: taking it would let an attacker pick the address the sign-in
	 * limits count. */
	if (!xff || !client_addr_trusted(peer, trusted))
		return;
	char ip[INET6_ADDRSTRLEN];
	size_t end = strlen(xff);
	while (end) {
		size_t start = end;
		while (start && xff[start - 1] != ',')
			start--;
		if (!client_addr_text(xff + start, end - start, ip))
			return;
		/* Each proxy appends the address it got the request from; the
		 * first one from the right that is not ours is the client. An
		 * entry further left could be forged (rotating the left-most
		 * one defeated the per-address limit). */
		snprintf(out, INET6_ADDRSTRLEN, "%s", ip);
		if (!client_addr_trusted(ip, trusted))
			return;
		end = start ? start - 1 : 0;
	}
}
