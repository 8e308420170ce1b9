/* check_ssrf.c: unit tests of jobd's SSRF guard (ssrf.c): address classes, the allow-lists of
 * each use (HTTP node, model endpoints) with and without ports, and their parser. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "check_run.h"
#include "nitems.h"
#include "ssrf.h"

/* address, allow-list of the HTTP use, allowed (port 80, judged for the HTTP use) */
static const struct { const char *addr, *allow; int ok; } rows[] = {
	{ "93.184.216.34", "", 1 },		/* public */
	{ "8.8.8.8", "", 1 },
	{ "127.0.0.1", "", 0 }, { "127.255.255.254", "", 0 },
	{ "10.0.0.1", "", 0 }, { "10.255.255.255", "", 0 },
	{ "172.16.0.1", "", 0 }, { "172.31.255.255", "", 0 }, { "172.32.0.1", "", 1 },
	{ "172.15.255.255", "", 1 },		/* boundaries of 172.16/12 */
	{ "192.168.0.1", "", 0 }, { "169.254.169.254", "", 0 }, { "100.64.0.1", "", 0 },
	{ "0.0.0.0", "", 0 }, { "224.0.0.1", "", 0 }, { "255.255.255.255", "", 0 },
	{ "::1", "", 0 }, { "::", "", 0 }, { "fe80::1", "", 0 }, { "fc00::1", "", 0 },
	{ "fd12:3456::1", "", 0 }, { "ff02::1", "", 0 },
	{ "::ffff:127.0.0.1", "", 0 }, { "::ffff:10.1.2.3", "", 0 },
	{ "::ffff:93.184.216.34", "", 1 },	/* mapped public is public */
	{ "::127.0.0.1", "", 0 },		/* IPv4-compatible */
	{ "64:ff9b::7f00:1", "", 0 },		/* NAT64 of 127.0.0.1 */
	{ "2606:2800:220:1::1", "", 1 },	/* public IPv6 */
	{ "127.0.0.1", "127.0.0.1", 1 },
	{ "127.0.0.2", "127.0.0.1", 0 },
	{ "127.0.0.2", "127.0.0.0/8", 1 },
	{ "10.1.2.3", "192.168.0.0/16, 10.1.0.0/16", 1 },
	{ "10.2.0.1", "10.1.0.0/16", 0 },
	{ "::1", "::1/128", 1 },
	{ "::ffff:127.0.0.1", "127.0.0.1/32", 1 },	/* mapped form of an allowed address */
	{ "fd00::5", "fd00::/8", 1 },
};

/* Judges "addr" port "port" for "use" under lists "http" and "model". Returns ssrf_check's
 * answer, with the reason in "why". */
static int
judge(const char *addr, long port, enum ssrf_use use, const char *http, const char *model,
    char *why, size_t whylen)
{
	struct ssrf_allow	*a = ssrf_allow_new();
	struct sockaddr_in	 s4;
	struct sockaddr_in6	 s6;
	char			 err[128];
	int			 rc;

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(ssrf_allow_add(a, SSRF_USE_HTTP, http, err, sizeof(err)), 0);
	ck_assert_int_eq(ssrf_allow_add(a, SSRF_USE_MODEL, model, err, sizeof(err)), 0);
	memset(&s4, 0, sizeof(s4));
	memset(&s6, 0, sizeof(s6));
	why[0] = '\0';
	if (inet_pton(AF_INET, addr, &s4.sin_addr) == 1) {
		s4.sin_family = AF_INET;
		s4.sin_port = htons((unsigned short)port);
		rc = ssrf_check(a, use, (struct sockaddr *)&s4, sizeof(s4), why, whylen);
	} else {
		ck_assert_int_eq(inet_pton(AF_INET6, addr, &s6.sin6_addr), 1);
		s6.sin6_family = AF_INET6;
		s6.sin6_port = htons((unsigned short)port);
		rc = ssrf_check(a, use, (struct sockaddr *)&s6, sizeof(s6), why, whylen);
	}
	/* The text form curl reports for a connection's peer gets the same answer. */
	ck_assert_int_eq(ssrf_check_ip(a, use, addr, port, err, sizeof(err)), rc);
	ssrf_allow_free(a);
	return rc;
}

START_TEST(test_ssrf_check)
{
	char	 why[128];
	int	 rc;

	rc = judge(rows[_i].addr, 80, SSRF_USE_HTTP, rows[_i].allow, "", why, sizeof(why));
	ck_assert_msg(rc == (rows[_i].ok ? 0 : -1), "%s (allow \"%s\"): %s", rows[_i].addr,
	    rows[_i].allow, why);
	if (!rows[_i].ok)
		ck_assert(why[0] != '\0');
}
END_TEST

/* address, port, use, HTTP list, model list, allowed: each use is judged by its own list
 * only, and a port in an item admits that port alone. */
static const struct {
	const char	*addr;
	long		 port;
	enum ssrf_use	 use;
	const char	*http, *model;
	int		 ok;
} model_rows[] = {
	{ "127.0.0.1", 11434, SSRF_USE_MODEL, "", "", 0 },
	{ "127.0.0.1", 11434, SSRF_USE_MODEL, "127.0.0.1/32", "", 0 },	/* HTTP's list */
	{ "127.0.0.1", 11434, SSRF_USE_HTTP, "", "127.0.0.1/32", 0 },	/* model's list */
	{ "127.0.0.1", 11434, SSRF_USE_MODEL, "", "127.0.0.1/32", 1 },
	{ "127.0.0.1", 11434, SSRF_USE_MODEL, "", "127.0.0.1:11434", 1 },
	{ "127.0.0.1", 8080, SSRF_USE_MODEL, "", "127.0.0.1:11434", 0 },	/* other port */
	{ "127.0.0.1", 8080, SSRF_USE_MODEL, "", "127.0.0.1:11434, 127.0.0.1:8080", 1 },
	{ "10.1.2.3", 8000, SSRF_USE_MODEL, "", "10.0.0.0/8:8000", 1 },
	{ "10.1.2.3", 8001, SSRF_USE_MODEL, "", "10.0.0.0/8:8000", 0 },
	{ "192.168.1.20", 11434, SSRF_USE_MODEL, "", "192.168.1.0/24", 1 },
	{ "192.168.2.20", 11434, SSRF_USE_MODEL, "", "192.168.1.0/24", 0 },
	{ "::1", 8000, SSRF_USE_MODEL, "", "[::1]:8000", 1 },
	{ "::1", 8001, SSRF_USE_MODEL, "", "[::1]:8000", 0 },
	{ "fd00::7", 8000, SSRF_USE_MODEL, "", "[fd00::/8]:8000", 1 },
	{ "::ffff:127.0.0.1", 11434, SSRF_USE_MODEL, "", "127.0.0.1:11434", 1 },
	{ "::ffff:127.0.0.1", 11434, SSRF_USE_MODEL, "", "", 0 },	/* mapped loopback */
	{ "0.0.0.0", 11434, SSRF_USE_MODEL, "", "127.0.0.1/32", 0 },
	{ "169.254.169.254", 80, SSRF_USE_MODEL, "", "127.0.0.1/32", 0 },	/* metadata */
	{ "127.0.0.2", 80, SSRF_USE_MODEL, "", "127.0.0.1/32", 0 },
	{ "93.184.216.34", 443, SSRF_USE_MODEL, "", "", 1 },	/* a public vendor */
};

START_TEST(test_ssrf_model)
{
	char	 why[128];
	int	 rc;

	rc = judge(model_rows[_i].addr, model_rows[_i].port, model_rows[_i].use,
	    model_rows[_i].http, model_rows[_i].model, why, sizeof(why));
	ck_assert_msg(rc == (model_rows[_i].ok ? 0 : -1), "row %d: %s port %ld: %s", _i,
	    model_rows[_i].addr, model_rows[_i].port, why);
}
END_TEST

/* What curl may report as a peer that is not an address is refused. */
START_TEST(test_ssrf_check_ip_bad)
{
	char	 why[128];

	ck_assert_int_eq(ssrf_check_ip(NULL, SSRF_USE_MODEL, "localhost", 80, why,
	    sizeof(why)), -1);
	ck_assert_int_eq(ssrf_check_ip(NULL, SSRF_USE_MODEL, "", 80, why, sizeof(why)), -1);
	ck_assert_int_eq(ssrf_check_ip(NULL, SSRF_USE_MODEL, NULL, 80, why, sizeof(why)), -1);
	ck_assert_int_eq(ssrf_check_ip(NULL, SSRF_USE_HTTP, "8.8.8.8", 70000, why,
	    sizeof(why)), -1);
	ck_assert_int_eq(ssrf_check_ip(NULL, SSRF_USE_HTTP, "8.8.8.8", 443, why, sizeof(why)),
	    0);
}
END_TEST

/* allow-list text, parses */
static const struct { const char *spec; int ok; } specs[] = {
	{ "", 0 }, { "127.0.0.1", 0 }, { "10.0.0.0/8,::1", 0 }, { " 10.0.0.0/8 , fd00::/8 ", 0 },
	{ "0.0.0.0/0", 0 }, { "10.0.0.0/33", -1 }, { "::/129", -1 }, { "example.com", -1 },
	{ "10.0.0.0/", -1 }, { "10.0.0.0/x", -1 }, { "1.2.3.4.5", -1 },
	{ "127.0.0.1:11434", 0 }, { "10.0.0.0/8:8000", 0 }, { "[::1]:8000", 0 }, { "[::1]", 0 },
	{ "[fd00::/8]:8000", 0 }, { "::1", 0 }, { "127.0.0.1:0", -1 }, { "127.0.0.1:65536", -1 },
	{ "127.0.0.1:", -1 }, { "127.0.0.1:x", -1 }, { "[::1]8000", -1 }, { "[::1", -1 },
	{ "[::1]:", -1 }, { "127.0.0.1:-1", -1 }, { "10.0.0.0/-8", -1 },
	{ "127.0.0.1:11434:1", -1 },
};

START_TEST(test_ssrf_allow_parse)
{
	struct ssrf_allow	*a = ssrf_allow_new();
	char			 err[128] = "";
	int			 u;

	for (u = 0; u < SSRF_USE__MAX; u++) {
		ck_assert_int_eq(ssrf_allow_add(a, (enum ssrf_use)u, specs[_i].spec, err,
		    sizeof(err)), specs[_i].ok);
		if (specs[_i].ok == -1)
			ck_assert_msg(strstr(err, "is not an address") != NULL, "%s", err);
	}
	ssrf_allow_free(a);
}
END_TEST

START_TEST(test_ssrf_family)
{
	struct sockaddr	 sa;
	char		 why[64];

	memset(&sa, 0, sizeof(sa));
	sa.sa_family = AF_UNIX;
	ck_assert_int_eq(ssrf_check(NULL, SSRF_USE_HTTP, &sa, sizeof(sa), why, sizeof(why)), -1);
	ssrf_allow_free(NULL);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("ssrf");
	TCase	*tc = tcase_create("ssrf_check");

	tcase_add_loop_test(tc, test_ssrf_check, 0, NITEMS(rows));
	tcase_add_test(tc, test_ssrf_family);
	tcase_add_loop_test(tc, test_ssrf_model, 0, NITEMS(model_rows));
	tcase_add_test(tc, test_ssrf_check_ip_bad);
	suite_add_tcase(s, tc);
	tc = tcase_create("ssrf_allow_parse");
	tcase_add_loop_test(tc, test_ssrf_allow_parse, 0, NITEMS(specs));
	suite_add_tcase(s, tc);
	return check_run(s);
}
