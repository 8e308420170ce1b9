/* ssrf.h: the outbound address guard of the HTTP node: refuses private, loopback, link-local
 * and other non-public destinations unless an allow-list (CIDRs) admits them. It judges the
 * address actually connected (curl's open-socket callback), so DNS answers cannot fool it. */
#ifndef FRAGENT_SSRF_H
#define FRAGENT_SSRF_H

#include <stddef.h>
#include <sys/socket.h>

struct ssrf_allow;

/* Parses "spec", a comma- or space-separated list of addresses or CIDRs ("10.0.0.0/8",
 * "::1", "127.0.0.1/32"); "" gives an empty list. Returns 0 with a new list in "out" (free
 * with ssrf_allow_free), or -1 with a message in "err" and "out" NULL. */
int	ssrf_allow_parse(const char *spec, struct ssrf_allow **out, char *err, size_t errlen);
/* Frees a list; NULL-safe. */
void	ssrf_allow_free(struct ssrf_allow *a);
/* Judges destination "sa" (AF_INET or AF_INET6, "len" bytes). Returns 0 when a connection
 * may be opened, or -1 with the reason in "why" (e.g. "127.0.0.1 is loopback"). "allow" may
 * be NULL (nothing allow-listed). */
int	ssrf_check(const struct ssrf_allow *allow, const struct sockaddr *sa, socklen_t len,
	    char *why, size_t whylen);

#endif
