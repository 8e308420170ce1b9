/* it_stack.c: integration suite of the stack's resilience: the API follows PostgreSQL going
 * away and coming back, PostgreSQL stops promptly even while connections that send nothing
 * arrive, every API process ends promptly on SIGTERM, nginx answers problem+json while
 * the API is down, and `./fragent up` on a running stack starts what was stopped. */
#include "config.h"

#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "check_run.h"
#include "it_http.h"
#include "jsonh.h"

/* supervisorctl of the stack under test, with "args". */
static int
supervisorctl(const char *args)
{
	const char	*ctl = getenv("FRAGENT_TEST_SUPERVISORCTL");
	char		 cmd[1024];

	ck_assert_msg(ctl != NULL, "FRAGENT_TEST_SUPERVISORCTL is not set");
	snprintf(cmd, sizeof(cmd), "%s %s >/dev/null", ctl, args);
	return it_sh(cmd);
}

/* Polls "path" until it answers "status" (at most ~15 s). */
static void
wait_status(const char *path, long status)
{
	struct http_resp	 r;
	long			 last = 0;
	int			 i;

	for (i = 0; i < 150; i++) {
		ck_assert_int_eq(http_get(path, &r), 0);
		last = r.status;
		http_resp_clear(&r);
		if (last == status)
			return;
		usleep(100 * 1000);
	}
	ck_abort_msg("%s: wanted %ld, last answer %ld", path, status, last);
}

START_TEST(test_ready_follows_postgres)
{
	struct http_resp	 r;
	json_object		*errors;

	wait_status("/api/v1/ready", 200);
	ck_assert_int_eq(supervisorctl("stop postgres"), 0);
	ck_assert_int_eq(http_get("/api/v1/ready", &r), 0);
	ck_assert_int_eq(r.status, 503);
	ck_assert_str_eq(r.content_type, "application/problem+json");
	errors = jsonh_get_typed(r.json, "errors", json_type_array);
	ck_assert_ptr_nonnull(errors);
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(errors, 0), "field"),
	    "postgres");
	http_resp_clear(&r);
	/* the process itself still answers */
	ck_assert_int_eq(http_get("/api/v1/health", &r), 0);
	ck_assert_int_eq(r.status, 200);
	http_resp_clear(&r);
	ck_assert_int_eq(supervisorctl("start postgres"), 0);
	wait_status("/api/v1/ready", 200);
}
END_TEST

/* Milliseconds since "t0". */
static long
ms_since(const struct timespec *t0)
{
	struct timespec	 t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* In a child process: opens a TCP connection to PostgreSQL's port every 10 ms for 3 s and
 * sends nothing on any, then holds them until killed. */
static pid_t
silent_clients_start(void)
{
	struct sockaddr_in	 sin = { .sin_family = AF_INET };
	const char		*port = getenv("FRAGENT_PG_PORT");
	pid_t			 pid;
	int			 i, fd;

	ck_assert_ptr_nonnull(port);
	sin.sin_port = htons((uint16_t)atoi(port));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_ne(pid = fork(), -1);
	if (pid > 0)
		return pid;
	for (i = 0; i < 300; i++) {
		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) != -1 &&
		    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
			close(fd);
		usleep(10 * 1000);
	}
	for (;;)
		pause();
}

/* A connection that sends nothing (a client stalled, or a port scan) while PostgreSQL shuts
 * down keeps it waiting for that client's first packet, as long as authentication_timeout
 * allows (a minute by default: supervisord would kill it first): the stack's PostgreSQL
 * bounds that wait, so a stop takes seconds. */
START_TEST(test_postgres_stops_despite_silent_clients)
{
	struct timespec	 t0;
	pid_t		 silent;
	long		 ms;

	wait_status("/api/v1/ready", 200);
	silent = silent_clients_start();
	usleep(500 * 1000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(supervisorctl("stop postgres"), 0);
	ms = ms_since(&t0);
	kill(silent, SIGKILL);
	waitpid(silent, NULL, 0);
	printf("it_stack: PostgreSQL stopped in %ld ms amid silent connections\n", ms);
	fflush(stdout);
	ck_assert_int_eq(supervisorctl("start postgres"), 0);
	wait_status("/api/v1/ready", 200);
	ck_assert_msg(ms < 20000, "stopping PostgreSQL took %ld ms", ms);
}
END_TEST

/* Every API process ends on SIGTERM (each serving thread sees the signal), well before
 * supervisord's stopwaitsecs would kill it; nginx then answers problem+json. */
START_TEST(test_api_down_is_a_problem)
{
	struct http_resp	 r;
	struct timespec		 t0;
	long			 ms;
	int			 i;

	for (i = 0; i < 16; i++) {	/* kept connections open in every process */
		ck_assert_int_eq(http_get("/api/v1/health", &r), 0);
		http_resp_clear(&r);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(supervisorctl("stop api:*"), 0);
	ms = ms_since(&t0);
	ck_assert_msg(ms < 5000, "stopping the API took %ld ms: a process ignored SIGTERM", ms);
	ck_assert_int_eq(http_get("/api/v1/health", &r), 0);
	ck_assert(r.status == 502 || r.status == 503);
	ck_assert_str_eq(r.content_type, "application/problem+json");
	ck_assert_ptr_nonnull(jsonh_get_string(r.json, "detail"));
	http_resp_clear(&r);
	ck_assert_int_eq(supervisorctl("start api:*"), 0);
	wait_status("/api/v1/health", 200);
}
END_TEST

/* `./fragent up` on a stack whose supervisord runs starts again the services stopped by
 * hand (it used to wait for PostgreSQL and give up), then restarts the API and jobd and
 * waits until they answer ready. */
START_TEST(test_up_starts_what_was_stopped)
{
	const char		*fragent = getenv("FRAGENT_TEST_FRAGENT");
	struct http_resp	 r;
	char			 cmd[1024];

	ck_assert_msg(fragent != NULL, "FRAGENT_TEST_FRAGENT is not set");
	wait_status("/api/v1/ready", 200);
	ck_assert_int_eq(supervisorctl("stop postgres redis nginx"), 0);
	ck_assert_int_ne(supervisorctl("status postgres redis nginx"), 0);
	ck_assert_int_ne(http_get("/api/v1/health", &r), 0);	/* nobody listens */
	http_resp_clear(&r);
	snprintf(cmd, sizeof(cmd), "'%s' up --no-install --no-build >/dev/null", fragent);
	ck_assert_int_eq(it_sh(cmd), 0);
	ck_assert_int_eq(supervisorctl("status postgres redis nginx"), 0);
	ck_assert_int_eq(http_get("/api/v1/ready", &r), 0);
	ck_assert_int_eq(r.status, 200);
	http_resp_clear(&r);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("stack");
	TCase	*tc = tcase_create("resilience");
	int	 rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	/* Above supervisord's 60 s for PostgreSQL to stop: a slow stop fails its assertion and
	 * PostgreSQL is started again for the suites after. */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_ready_follows_postgres);
	tcase_add_test(tc, test_postgres_stops_despite_silent_clients);
	tcase_add_test(tc, test_api_down_is_a_problem);
	tcase_add_test(tc, test_up_starts_what_was_stopped);
	suite_add_tcase(s, tc);
	rc = check_run(s);
	curl_global_cleanup();
	return rc;
}
