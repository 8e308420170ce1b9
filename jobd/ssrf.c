/* ssrf.c: classification of outbound destination addresses and the allow-lists of each use
 * (see ssrf.h). */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nitems.h"
#include "ssrf.h"
#include "xalloc.h"

#define SSRF_MAX_RULES	64	/* per use */
#define SSRF_MAX_ITEM	80	/* "[ffff:…:255.255.255.255/128]:65535" fits */

/* A refused range: 16 bytes (IPv4 as IPv4-mapped IPv6), a prefix length over them, what it
 * is. */
struct ssrf_range {
	unsigned char	 addr[16];
	int		 bits;
	const char	*what;
};

/* An allow-list item: the same with a port (0: any). */
struct ssrf_net {
	unsigned char	 addr[16];
	int		 bits;
	long		 port;
};

struct ssrf_list {
	struct ssrf_net	 nets[SSRF_MAX_RULES];
	size_t		 n;
};

struct ssrf_allow {
	struct ssrf_list lists[SSRF_USE__MAX];
};

const char *const ssrf_use_settings[SSRF_USE__MAX] = {
	[SSRF_USE_HTTP] = "FRAGENT_HTTP_ALLOWLIST",
	[SSRF_USE_MODEL] = "FRAGENT_MODEL_ALLOWLIST",
};

#define V4(a, b, c, d)	{ 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff, a,b,c,d }

/* Destinations refused unless allow-listed. IPv4 ranges are written mapped (prefix + 96). */
static const struct ssrf_range ssrf_blocked[] = {
	{ V4(0, 0, 0, 0), 96 + 8, "a \"this network\" address" },
	{ V4(10, 0, 0, 0), 96 + 8, "private (RFC 1918)" },
	{ V4(100, 64, 0, 0), 96 + 10, "shared address space (RFC 6598)" },
	{ V4(127, 0, 0, 0), 96 + 8, "loopback" },
	{ V4(169, 254, 0, 0), 96 + 16, "link-local" },
	{ V4(172, 16, 0, 0), 96 + 12, "private (RFC 1918)" },
	{ V4(192, 0, 0, 0), 96 + 24, "IETF protocol assignments" },
	{ V4(192, 168, 0, 0), 96 + 16, "private (RFC 1918)" },
	{ V4(198, 18, 0, 0), 96 + 15, "benchmarking" },
	{ V4(224, 0, 0, 0), 96 + 4, "multicast" },
	{ V4(240, 0, 0, 0), 96 + 4, "reserved" },
	{ { 0 }, 128, "unspecified" },
	{ { 0,0,0,0, 0,0,0,0, 0,0,0,0, 0,0,0,1 }, 128, "loopback" },
	{ { 0 }, 96, "IPv4-compatible IPv6" },
	{ { 0x00,0x64,0xff,0x9b }, 96, "NAT64" },
	{ { 0xfc }, 7, "unique-local IPv6" },
	{ { 0xfe, 0x80 }, 10, "link-local IPv6" },
	{ { 0xfe, 0xc0 }, 10, "site-local IPv6" },
	{ { 0xff }, 8, "multicast IPv6" },
};

/* True when the first "bits" bits of "a" and "b" agree. */
static int
ssrf_match(const unsigned char *a, const unsigned char *b, int bits)
{
	int	 full = bits / 8, rest = bits % 8;

	if (memcmp(a, b, (size_t)full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((a[full] ^ b[full]) & (0xff << (8 - rest))) == 0;
}

/* Parses "s" as an address with an optional "/bits" into "net". Returns 0 or -1. */
static int
ssrf_cidr_parse(char *s, struct ssrf_net *net)
{
	char		*slash, *end;
	struct in_addr	 a4;
	long		 bits;
	int		 v4;

	if ((slash = strchr(s, '/')) != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, s, &a4) == 1) {
		v4 = 1;
		net->addr[10] = net->addr[11] = 0xff;
		memcpy(net->addr + 12, &a4, 4);
	} else if (inet_pton(AF_INET6, s, net->addr) == 1)
		v4 = 0;
	else
		return -1;
	bits = v4 ? 32 : 128;
	if (slash != NULL) {
		bits = strtol(slash, &end, 10);
		if (*slash < '0' || *slash > '9' || *end != '\0' || bits < 0 ||
		    bits > (v4 ? 32 : 128))
			return -1;
	}
	net->bits = (int)bits + (v4 ? 96 : 0);
	return 0;
}

/* Parses a port in [1, 65535]. Returns it, or -1. */
static long
ssrf_port_parse(const char *s)
{
	char	*end;
	long	 p;

	if (*s < '0' || *s > '9')
		return -1;
	p = strtol(s, &end, 10);
	return *end == '\0' && p >= 1 && p <= 65535 ? p : -1;
}

/* Parses one allow-list item: "addr[/bits]", "ipv4[/bits]:port" or "[ipv6[/bits]]:port"
 * into "net". Returns 0 or -1. */
static int
ssrf_net_parse(const char *item, struct ssrf_net *net)
{
	char	 tmp[SSRF_MAX_ITEM], *colon = NULL, *close;

	if (strlen(item) >= sizeof(tmp))
		return -1;
	snprintf(tmp, sizeof(tmp), "%s", item);
	memset(net, 0, sizeof(*net));
	if (tmp[0] == '[') {
		if ((close = strchr(tmp, ']')) == NULL)
			return -1;
		*close = '\0';
		if (close[1] != '\0') {
			if (close[1] != ':')
				return -1;
			colon = close + 1;
		}
		memmove(tmp, tmp + 1, strlen(tmp + 1) + 1);
	} else if ((colon = strchr(tmp, ':')) != NULL && strchr(colon + 1, ':') != NULL)
		colon = NULL;	/* two colons or more: an IPv6 address without a port */
	if (colon != NULL) {
		*colon = '\0';
		if ((net->port = ssrf_port_parse(colon + 1)) == -1)
			return -1;
	}
	return ssrf_cidr_parse(tmp, net);
}

struct ssrf_allow *
ssrf_allow_new(void)
{
	return xcalloc(1, sizeof(struct ssrf_allow));
}

int
ssrf_allow_add(struct ssrf_allow *a, enum ssrf_use use, const char *spec, char *err,
    size_t errlen)
{
	struct ssrf_list	*l = &a->lists[use];
	const char		*p = spec;
	char			 item[SSRF_MAX_ITEM];
	size_t			 n;

	while (*p != '\0') {
		p += strspn(p, ", \t");
		if ((n = strcspn(p, ", \t")) == 0)
			break;
		if (n >= sizeof(item) || l->n == SSRF_MAX_RULES) {
			snprintf(err, errlen, "item too long or more than %d items",
			    SSRF_MAX_RULES);
			return -1;
		}
		memcpy(item, p, n);
		item[n] = '\0';
		if (ssrf_net_parse(item, &l->nets[l->n]) == -1) {
			snprintf(err, errlen, "\"%s\" is not an address or CIDR with an optional "
			    "port", item);
			return -1;
		}
		l->n++;
		p += n;
	}
	return 0;
}

void
ssrf_allow_free(struct ssrf_allow *a)
{
	free(a);
}

int
ssrf_check(const struct ssrf_allow *allow, enum ssrf_use use, const struct sockaddr *sa,
    socklen_t len, char *why, size_t whylen)
{
	const struct ssrf_list	*l = allow != NULL ? &allow->lists[use] : NULL;
	unsigned char		 a[16];
	char			 text[INET6_ADDRSTRLEN];
	long			 port;
	size_t			 i;

	memset(a, 0, sizeof(a));
	if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)(const void *)sa;

		a[10] = a[11] = 0xff;
		memcpy(a + 12, &s4->sin_addr, 4);
		port = ntohs(s4->sin_port);
		inet_ntop(AF_INET, &s4->sin_addr, text, sizeof(text));
	} else if (sa->sa_family == AF_INET6 &&
	    len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)(const void *)sa;

		memcpy(a, &s6->sin6_addr, 16);
		port = ntohs(s6->sin6_port);
		inet_ntop(AF_INET6, &s6->sin6_addr, text, sizeof(text));
	} else {
		snprintf(why, whylen, "address family %d is not allowed", (int)sa->sa_family);
		return -1;
	}
	for (i = 0; l != NULL && i < l->n; i++)
		if (ssrf_match(a, l->nets[i].addr, l->nets[i].bits) &&
		    (l->nets[i].port == 0 || l->nets[i].port == port))
			return 0;
	/* An IPv4-mapped IPv6 address is judged as the IPv4 address it carries: the rows
	 * above are written that way, and "::ffff:0:0/96" itself is never public. */
	for (i = 0; i < NITEMS(ssrf_blocked); i++)
		if (ssrf_match(a, ssrf_blocked[i].addr, ssrf_blocked[i].bits)) {
			snprintf(why, whylen, "%s is %s", text, ssrf_blocked[i].what);
			return -1;
		}
	return 0;
}

int
ssrf_check_ip(const struct ssrf_allow *allow, enum ssrf_use use, const char *ip, long port,
    char *why, size_t whylen)
{
	struct sockaddr_in	 s4;
	struct sockaddr_in6	 s6;

	memset(&s4, 0, sizeof(s4));
	memset(&s6, 0, sizeof(s6));
	if (ip == NULL || port < 0 || port > 65535)
		;
	else if (inet_pton(AF_INET, ip, &s4.sin_addr) == 1) {
		s4.sin_family = AF_INET;
		s4.sin_port = htons((unsigned short)port);
		return ssrf_check(allow, use, (struct sockaddr *)&s4, sizeof(s4), why, whylen);
	} else if (inet_pton(AF_INET6, ip, &s6.sin6_addr) == 1) {
		s6.sin6_family = AF_INET6;
		s6.sin6_port = htons((unsigned short)port);
		return ssrf_check(allow, use, (struct sockaddr *)&s6, sizeof(s6), why, whylen);
	}
	snprintf(why, whylen, "the connected address \"%.60s\" is not understood",
	    ip != NULL ? ip : "");
	return -1;
}
