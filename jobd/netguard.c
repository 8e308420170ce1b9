/* netguard.c: the SSRF guard on curl transfers (see netguard.h). */
#include "config.h"

#include <stdio.h>
#include <sys/socket.h>

#include "netguard.h"

/* CURLOPT_OPENSOCKETFUNCTION: judges the address curl is about to connect, so that no packet
 * leaves for a refused one. */
static curl_socket_t
netguard_open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct netguard	*g = arg;

	(void)purpose;
	if (ssrf_check(g->allow, g->use, &a->addr, a->addrlen, g->why, sizeof(g->why)) == -1) {
		g->blocked = 1;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

/* CURLOPT_PREREQFUNCTION: judges the peer of the connection a request is about to be sent on,
 * new or taken from the pool, for the first request and every redirect. */
static int
netguard_prereq(void *arg, char *primary_ip, char *local_ip, int primary_port, int local_port)
{
	struct netguard	*g = arg;

	(void)local_ip;
	(void)local_port;
	if (ssrf_check_ip(g->allow, g->use, primary_ip, primary_port, g->why,
	    sizeof(g->why)) == -1) {
		g->blocked = 1;
		return CURL_PREREQFUNC_ABORT;
	}
	return CURL_PREREQFUNC_OK;
}

int
netguard_attach(CURL *e, struct netguard *g)
{
	g->blocked = 0;
	g->why[0] = '\0';
	if (curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PROXY, "") != CURLE_OK ||	/* the real peer */
	    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, netguard_open_socket) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, g) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, netguard_prereq) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PREREQDATA, g) != CURLE_OK)
		return -1;
	return 0;
}

void
netguard_message(const struct netguard *g, char *out, size_t outlen)
{
	snprintf(out, outlen, "refused by the SSRF guard: %s (an administrator may allow it in "
	    "%s)", g->why, ssrf_use_settings[g->use]);
}
