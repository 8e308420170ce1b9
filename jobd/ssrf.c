/* ssrf.c: classification of destination addresses for the HTTP node (see ssrf.h). */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrf.h"

#define SSRF_MAX_RULES	64

/* One range: 16 bytes (IPv4 as IPv4-mapped IPv6) and a prefix length over them. */
struct ssrf_net {
	unsigned char	 addr[16];
	int		 bits;
	const char	*what;
};

struct ssrf_allow {
	struct ssrf_net	 nets[SSRF_MAX_RULES];
	size_t		 n;
};

#define V4(a, b, c, d)	{ 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff, a,b,c,d }

/* Destinations refused unless allow-listed. IPv4 ranges are written mapped (prefix + 96). */
static const struct ssrf_net ssrf_blocked[] = {
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

/* Parses one address or CIDR into "net". Returns 0 or -1. */
static int
ssrf_net_parse(const char *s, struct ssrf_net *net)
{
	char		 tmp[64], *slash, *end;
	struct in_addr	 a4;
	long		 bits;
	int		 v4;

	if (strlen(s) >= sizeof(tmp))
		return -1;
	snprintf(tmp, sizeof(tmp), "%s", s);
	if ((slash = strchr(tmp, '/')) != NULL)
		*slash++ = '\0';
	memset(net, 0, sizeof(*net));
	if (inet_pton(AF_INET, tmp, &a4) == 1) {
		v4 = 1;
		net->addr[10] = net->addr[11] = 0xff;
		memcpy(net->addr + 12, &a4, 4);
	} else if (inet_pton(AF_INET6, tmp, net->addr) == 1)
		v4 = 0;
	else
		return -1;
	bits = v4 ? 32 : 128;
	if (slash != NULL) {
		bits = strtol(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || bits < 0 || bits > (v4 ? 32 : 128))
			return -1;
	}
	net->bits = (int)bits + (v4 ? 96 : 0);
	net->what = "allow-listed";
	return 0;
}

int
ssrf_allow_parse(const char *spec, struct ssrf_allow **out, char *err, size_t errlen)
{
	struct ssrf_allow	*a;
	const char		*p = spec;
	char			 item[64];
	size_t			 n;

	*out = NULL;
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while (*p != '\0') {
		p += strspn(p, ", \t");
		if ((n = strcspn(p, ", \t")) == 0)
			break;
		if (n >= sizeof(item) || a->n == SSRF_MAX_RULES) {
			snprintf(err, errlen, "allow-list: item too long or more than %d items",
			    SSRF_MAX_RULES);
			goto fail;
		}
		memcpy(item, p, n);
		item[n] = '\0';
		if (ssrf_net_parse(item, &a->nets[a->n]) == -1) {
			snprintf(err, errlen, "allow-list: \"%s\" is not an address or CIDR", item);
			goto fail;
		}
		a->n++;
		p += n;
	}
	*out = a;
	return 0;
fail:
	free(a);
	return -1;
}

void
ssrf_allow_free(struct ssrf_allow *a)
{
	free(a);
}

int
ssrf_check(const struct ssrf_allow *allow, const struct sockaddr *sa, socklen_t len,
    char *why, size_t whylen)
{
	unsigned char	 a[16];
	char		 text[INET6_ADDRSTRLEN];
	size_t		 i;

	memset(a, 0, sizeof(a));
	if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)(const void *)sa;

		a[10] = a[11] = 0xff;
		memcpy(a + 12, &s4->sin_addr, 4);
		inet_ntop(AF_INET, &s4->sin_addr, text, sizeof(text));
	} else if (sa->sa_family == AF_INET6 &&
	    len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)(const void *)sa;

		memcpy(a, &s6->sin6_addr, 16);
		inet_ntop(AF_INET6, &s6->sin6_addr, text, sizeof(text));
	} else {
		snprintf(why, whylen, "address family %d is not allowed", (int)sa->sa_family);
		return -1;
	}
	for (i = 0; allow != NULL && i < allow->n; i++)
		if (ssrf_match(a, allow->nets[i].addr, allow->nets[i].bits))
			return 0;
	/* An IPv4-mapped IPv6 address is judged as the IPv4 address it carries: the rows
	 * above are written that way, and "::ffff:0:0/96" itself is never public. */
	for (i = 0; i < sizeof(ssrf_blocked) / sizeof(ssrf_blocked[0]); i++)
		if (ssrf_match(a, ssrf_blocked[i].addr, ssrf_blocked[i].bits)) {
			snprintf(why, whylen, "%s is %s", text, ssrf_blocked[i].what);
			return -1;
		}
	return 0;
}
