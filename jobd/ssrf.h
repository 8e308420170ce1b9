/* ssrf.h: the outbound address guard: refuses private, loopback, link-local and other
 * non-public destinations unless the allow-list of the transfer's use (the HTTP node and its
 * tool, or the model endpoints) admits them. It judges the address actually connected, so DNS
 * answers cannot fool it; jobd/netguard.c attaches it to curl transfers. */
#ifndef FRAGENT_SSRF_H
#define FRAGENT_SSRF_H

#include <stddef.h>
#include <sys/socket.h>

/* What a transfer is for: each use has its own allow-list (and its own connection pool in
 * jobd/httpc.c, so that no transfer reuses a connection opened under another list). */
enum ssrf_use {
	SSRF_USE_HTTP,		/* the http_request node and tool: FRAGENT_HTTP_ALLOWLIST */
	SSRF_USE_MODEL,		/* agents' model endpoints: FRAGENT_MODEL_ALLOWLIST */
	SSRF_USE__MAX
};

/* The setting that fills each use's list ("FRAGENT_HTTP_ALLOWLIST", …). */
extern const char *const ssrf_use_settings[SSRF_USE__MAX];

struct ssrf_allow;

/* A new set of empty allow-lists (nothing non-public admitted), never NULL. Free with
 * ssrf_allow_free. */
struct ssrf_allow *ssrf_allow_new(void);
/* Adds the items of "spec" to the list of "use": a comma- or space-separated list of
 * addresses or CIDRs, each with an optional port ("10.0.0.0/8", "::1", "127.0.0.1:11434",
 * "10.1.0.0/16:8000", "[fd00::/8]:8000", "[::1]:11434"); "" adds nothing. Returns 0, or -1
 * with a message in "err" (the list may then hold the items before the bad one). */
int	ssrf_allow_add(struct ssrf_allow *a, enum ssrf_use use, const char *spec, char *err,
	    size_t errlen);
/* Frees a set of lists; NULL-safe. */
void	ssrf_allow_free(struct ssrf_allow *a);
/* Judges destination "sa" (AF_INET or AF_INET6, "len" bytes, its port included) for "use".
 * Returns 0 when a connection may be opened or used, or -1 with the reason in "why" (e.g.
 * "127.0.0.1 is loopback"). "a" may be NULL (nothing allow-listed). */
int	ssrf_check(const struct ssrf_allow *a, enum ssrf_use use, const struct sockaddr *sa,
	    socklen_t len, char *why, size_t whylen);
/* The same for a numeric address in text ("127.0.0.1", "::1") and "port", as curl reports
 * the peer of a connection. An address that does not parse is refused. */
int	ssrf_check_ip(const struct ssrf_allow *a, enum ssrf_use use, const char *ip, long port,
	    char *why, size_t whylen);

#endif
