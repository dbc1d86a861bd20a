/* The client's address as the server records it (sign-in throttling, the
 * audit log, sessions), taken from X-Forwarded-For only when the request
 * comes from a proxy we trust. */
#ifndef CORDON_CLIENT_ADDR_H
#define CORDON_CLIENT_ADDR_H

#include <arpa/inet.h>
#include <stddef.h>

/* 1 when text (n bytes, blanks around allowed) is an IPv4 or IPv6
 * address; its canonical form into out. */
int client_addr_text(const char *text, size_t n, char out[INET6_ADDRSTRLEN]);

/* 1 when ip (canonical) is one of trusted: addresses separated by commas or
 * spaces; NULL stands for the loopback addresses (a proxy on this host). */
int client_addr_trusted(const char *ip, const char *trusted);

/* The client of a request from peer (canonical) carrying X-Forwarded-For
 * xff (NULL when absent), into out: when the peer is a trusted proxy, the
 * right-most entry of xff that is not one (entries to its left are
 * whatever the client sent); otherwise, or when that entry is not an
 * address, the peer itself. */
void client_addr_pick(const char *peer, const char *xff, const char *trusted,
		      char out[INET6_ADDRSTRLEN]);

#endif
