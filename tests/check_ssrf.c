/* check_ssrf.c: unit tests of jobd's SSRF guard (ssrf.c): address classes, the allow-list,
 * and its parser. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "check_run.h"
#include "ssrf.h"

/* address, allow-list, allowed */
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

START_TEST(test_ssrf_check)
{
	struct ssrf_allow	*a = NULL;
	struct sockaddr_in	 s4;
	struct sockaddr_in6	 s6;
	char			 why[128], err[128];
	int			 rc;

	ck_assert_int_eq(ssrf_allow_parse(rows[_i].allow, &a, err, sizeof(err)), 0);
	memset(&s4, 0, sizeof(s4));
	memset(&s6, 0, sizeof(s6));
	why[0] = '\0';
	if (inet_pton(AF_INET, rows[_i].addr, &s4.sin_addr) == 1) {
		s4.sin_family = AF_INET;
		rc = ssrf_check(a, (struct sockaddr *)&s4, sizeof(s4), why, sizeof(why));
	} else {
		ck_assert_int_eq(inet_pton(AF_INET6, rows[_i].addr, &s6.sin6_addr), 1);
		s6.sin6_family = AF_INET6;
		rc = ssrf_check(a, (struct sockaddr *)&s6, sizeof(s6), why, sizeof(why));
	}
	ck_assert_msg(rc == (rows[_i].ok ? 0 : -1), "%s (allow \"%s\"): %s", rows[_i].addr,
	    rows[_i].allow, why);
	if (!rows[_i].ok)
		ck_assert(why[0] != '\0');
	ssrf_allow_free(a);
}
END_TEST

/* allow-list text, parses */
static const struct { const char *spec; int ok; } specs[] = {
	{ "", 0 }, { "127.0.0.1", 0 }, { "10.0.0.0/8,::1", 0 }, { " 10.0.0.0/8 , fd00::/8 ", 0 },
	{ "0.0.0.0/0", 0 }, { "10.0.0.0/33", -1 }, { "::/129", -1 }, { "example.com", -1 },
	{ "10.0.0.0/", -1 }, { "10.0.0.0/x", -1 }, { "1.2.3.4.5", -1 },
};

START_TEST(test_ssrf_allow_parse)
{
	struct ssrf_allow	*a = (struct ssrf_allow *)1;
	char			 err[128];

	ck_assert_int_eq(ssrf_allow_parse(specs[_i].spec, &a, err, sizeof(err)), specs[_i].ok);
	if (specs[_i].ok == -1)
		ck_assert_ptr_null(a);
	ssrf_allow_free(a);
}
END_TEST

START_TEST(test_ssrf_family)
{
	struct sockaddr	 sa;
	char		 why[64];

	memset(&sa, 0, sizeof(sa));
	sa.sa_family = AF_UNIX;
	ck_assert_int_eq(ssrf_check(NULL, &sa, sizeof(sa), why, sizeof(why)), -1);
	ssrf_allow_free(NULL);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("ssrf");
	TCase	*tc = tcase_create("ssrf_check");

	tcase_add_loop_test(tc, test_ssrf_check, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, test_ssrf_family);
	suite_add_tcase(s, tc);
	tc = tcase_create("ssrf_allow_parse");
	tcase_add_loop_test(tc, test_ssrf_allow_parse, 0, sizeof(specs) / sizeof(specs[0]));
	suite_add_tcase(s, tc);
	return check_run(s);
}
