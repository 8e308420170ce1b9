/* it_listener.c: jobd's processes as the system sees them, started by the test beside the
 * stack. `fragent-jobd --listener` on a port of its own: out of descriptors it stops
 * accepting for a moment instead of waking for the same queued connection at full CPU, says
 * so once, counts its pauses for the scrape, and serves again once connections close; it is
 * refused while FRAGENT_SSE_PROCS says jobd serves the port alone (it could only fail to
 * bind). A user who holds FRAGENT_SSE_USER_STREAMS streams on it is answered 429 for one
 * more, which others are not, until one of theirs ends. And a jobd stopped while it starts
 * stops cleanly. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_run.h"
#include "it_engine_util.h"
#include "it_http.h"
#include "metrics.h"
#include "uuid.h"

/* Descriptors the listener may hold (what it opens at start is well below), and the
 * connections the test opens, more than it can take. */
#define LISTENER_NOFILE		64
#define HELD_CONNECTIONS	200
/* The streams one user may hold on the listener of the limit's test. */
#define USER_STREAMS		3
#define USER_STREAMS_SETTING	"FRAGENT_SSE_USER_STREAMS=3"

/* Milliseconds of CPU process "pid" has used. */
static long
cpu_ms(pid_t pid)
{
	uint64_t	 rss, usec;

	ck_assert_int_eq(metrics_proc_read((int)pid, &rss, &usec), 0);
	return (long)(usec / 1000);
}

static int
connect_port(int port)
{
	struct sockaddr_in	 a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int			 fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

/* The status of an anonymous GET of a run's event stream on "port", or 0 without an
 * answer within 2 s. */
static int
stream_status(int port)
{
	static const char req[] = "GET /api/v1/executions/00000000-0000-4000-8000-000000000000"
	    "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
	struct timeval	 tv = { 2, 0 };
	char		 buf[64];
	ssize_t		 n;
	int		 fd = connect_port(port), status = 0;

	if (fd < 0)
		return 0;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (write(fd, req, sizeof(req) - 1) == (ssize_t)sizeof(req) - 1 &&
	    (n = recv(fd, buf, sizeof(buf) - 1, 0)) > 0) {
		buf[n] = '\0';
		sscanf(buf, "HTTP/1.%*d %d", &status);
	}
	close(fd);
	return status;
}

/* Opens the event stream of execution "id" on "port" as bearer "token". Returns the
 * connection (the caller closes it), with the answer's status in "*status" and what came of
 * it within 2 s in "got" (size "len"): the head of a stream, or the whole of a refusal. */
static int
stream_open(int port, const char *token, const char *id, int *status, char *got, size_t len)
{
	struct timeval	 tv = { 2, 0 };
	char		 req[2048];
	size_t		 used = 0;
	ssize_t		 n;
	int		 fd = connect_port(port);

	ck_assert_int_ge(fd, 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = snprintf(req, sizeof(req), "GET /api/v1/executions/%s/events HTTP/1.1\r\n"
	    "Host: 127.0.0.1\r\nAuthorization: Bearer %s\r\nAccept: text/event-stream\r\n"
	    "Connection: close\r\n\r\n", id, token);
	ck_assert(n > 0 && (size_t)n < sizeof(req));
	ck_assert_int_eq(write(fd, req, (size_t)n), n);
	got[0] = '\0';
	while (used + 1 < len && (n = recv(fd, got + used, len - used - 1, 0)) > 0) {
		got[used += (size_t)n] = '\0';
		if (strncmp(got, "HTTP/1.1 200", 12) == 0 && strstr(got, "\r\n\r\n") != NULL)
			break;
	}
	*status = 0;
	sscanf(got, "HTTP/1.%*d %d", status);
	return fd;
}

/* Series "family" of listener process "pid" in GET /metrics (its snapshot comes every
 * second), 0 without one. */
static double
metric_of(pid_t pid, const char *family)
{
	struct http_resp	 r;
	const char		*line, *end, *at;
	char			 who[64];
	size_t			 flen = strlen(family);
	double			 v = 0;

	snprintf(who, sizeof(who), "/listener-%ld\"", (long)pid);
	ck_assert_int_eq(http_do("GET", "/metrics", NULL, NULL, NULL, &r), 0);
	ck_assert_msg(r.status == 200, "GET /metrics: %ld", r.status);
	for (line = r.body.data; line != NULL && *line != '\0'; line = end + 1) {
		if ((end = strchr(line, '\n')) == NULL)
			break;
		if (strncmp(line, family, flen) == 0 && line[flen] == '{' &&
		    (at = strstr(line, who)) != NULL && at < end &&
		    (at = strchr(at, '}')) != NULL && at < end)
			v = atof(at + 1);
	}
	http_resp_clear(&r);
	return v;
}

/* Starts a listener process on "port" with "setting" beside the stack and waits until it
 * serves, logging to STATE/log/"log_name" (its path into "log"). Returns its pid. */
static pid_t
listener_ready(int port, const char *setting, rlim_t nofile, const char *log_name, char *log,
    size_t len)
{
	pid_t	 pid;
	int	 i;

	eng_log_path(log, len, log_name);
	unlink(log);
	pid = eng_listener_start(port, 2, setting, nofile, log_name);
	for (i = 0; i < 300 && check_lines_with(log, "listener ready") == 0; i++)
		usleep(50 * 1000);
	ck_assert_msg(check_lines_with(log, "listener ready") == 1, "the listener did not start");
	return pid;
}

START_TEST(test_listener_out_of_descriptors)
{
	int	 port = eng_free_port(), fds[HELD_CONNECTIONS], i, status = 0;
	char	 log[512];
	long	 cpu0, cpu1;
	pid_t	 pid;

	pid = listener_ready(port, NULL, LISTENER_NOFILE, "listener-starved.log", log,
	    sizeof(log));
	ck_assert_int_eq(stream_status(port), 401);

	/* More connections than it may hold: the rest queue in the kernel. */
	for (i = 0; i < HELD_CONNECTIONS; i++)
		ck_assert_int_ge(fds[i] = connect_port(port), 0);
	usleep(300 * 1000);
	cpu0 = cpu_ms(pid);
	usleep(1000 * 1000);
	cpu1 = cpu_ms(pid);
	printf("it_listener: out of descriptors, %ld ms of CPU in 1 s\n", cpu1 - cpu0);
	ck_assert_msg(cpu1 - cpu0 < 300, "the listener spun: %ld ms of CPU in 1 s", cpu1 - cpu0);
	/* Once (what else needs a descriptor meanwhile, as the metrics' Redis link, fails on
	 * its own). */
	ck_assert_int_eq(check_lines_with(log, "events listener: accept: Too many open files"), 1);

	/* They leave: the queued ones are taken (and closed), and a stream is answered again. */
	for (i = 0; i < HELD_CONNECTIONS; i++)
		close(fds[i]);
	for (i = 0; i < 50 && (status = stream_status(port)) != 401; i++)
		usleep(100 * 1000);
	ck_assert_int_eq(status, 401);
	/* The pauses are counted for the scrape. */
	for (i = 0; i < 50 && metric_of(pid, "fragent_accept_pauses_total") == 0; i++)
		usleep(100 * 1000);
	ck_assert_msg(metric_of(pid, "fragent_accept_pauses_total") >= 1,
	    "no fragent_accept_pauses_total for the listener");
	eng_jobd_stop(pid, SIGTERM);
}
END_TEST

/* A run that waits long enough for the test to open and close its streams. */
static const char DEF_WAIT[] = "{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},"
    "{\"id\":\"wait\",\"type\":\"delay\",\"config\":{\"ms\":60000}},"
    "{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"done\"}}],"
    "\"edges\":[{\"source\":\"in\",\"target\":\"wait\"},"
    "{\"source\":\"wait\",\"target\":\"out\"}]}";

/* Cancels execution "id" and waits until it ended. */
static void
cancel(const char *id)
{
	struct http_resp	 r;
	char			 path[128];

	snprintf(path, sizeof(path), "/api/v1/executions/%s/cancel", id);
	ck_assert_int_eq(http_post_json(path, "{}", &r), 0);
	ck_assert_msg(r.status == 202, "cancel: %ld", r.status);
	http_resp_clear(&r);
	json_object_put(eng_wait(id, NULL, 20000));
}

/* A user who holds USER_STREAMS streams on a listener process is refused one more, 429 as
 * problem+json naming the setting with a Retry-After; another user is not; a stream that
 * ends (its client leaves, or its run ends) gives its place back. The refusals are counted
 * for the scrape and logged once a minute at most. */
START_TEST(test_listener_user_stream_limit)
{
	const char	*admin;
	char		*other, log[512], got[2048], wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1];
	char		 own[UUID_STRLEN + 1];
	int		 port = eng_free_port(), fds[USER_STREAMS], extra, status, i;
	pid_t		 pid;

	pid = listener_ready(port, USER_STREAMS_SETTING, 0,
	    "listener-limit.log", log, sizeof(log));
	/* Another user with a run of their own (an editor: the suites share one admin). */
	ck_assert_ptr_nonnull(it_login_admin());
	ck_assert_ptr_nonnull(other = it_login_as("it-listener-other", "editor"));
	it_set_token(other);
	eng_workflow(DEF_WAIT, wf);
	eng_start(wf, "{}", own);
	ck_assert_ptr_nonnull(admin = it_login_admin());
	eng_workflow(DEF_WAIT, wf);
	eng_start(wf, "{}", id);

	for (i = 0; i < USER_STREAMS; i++) {
		fds[i] = stream_open(port, admin, id, &status, got, sizeof(got));
		ck_assert_msg(status == 200, "stream %d: %s", i, got);
	}
	/* One more, twice: refused, and the listener says so once. */
	for (i = 0; i < 2; i++) {
		extra = stream_open(port, admin, id, &status, got, sizeof(got));
		close(extra);
		ck_assert_msg(status == 429, "one stream too many: %s", got);
		ck_assert_ptr_nonnull(strstr(got, "Content-Type: application/problem+json"));
		ck_assert_ptr_nonnull(strstr(got, "Retry-After: 5"));
		ck_assert_ptr_nonnull(strstr(got, "\"status\":429"));
		ck_assert_ptr_nonnull(strstr(got, "FRAGENT_SSE_USER_STREAMS"));
	}
	ck_assert_int_eq(check_lines_with(log, "event streams refused: user"), 1);
	/* Another user's first stream is theirs to open. */
	extra = stream_open(port, other, own, &status, got, sizeof(got));
	ck_assert_msg(status == 200, "another user's stream: %s", got);
	close(extra);

	/* A client leaves: its place is free again (the listener sees the close on its loop). */
	close(fds[0]);
	for (i = 0; i < 50; i++) {
		fds[0] = stream_open(port, admin, id, &status, got, sizeof(got));
		if (status == 200)
			break;
		close(fds[0]);
		usleep(100 * 1000);
	}
	ck_assert_msg(status == 200, "no place after a client left: %s", got);

	/* The run ends: its streams end with it, and the user opens as many again. */
	cancel(id);
	for (i = 0; i < USER_STREAMS; i++) {
		while (recv(fds[i], got, sizeof(got), 0) > 0)
			;
		close(fds[i]);
	}
	eng_start(wf, "{}", id);
	for (i = 0; i < USER_STREAMS; i++) {
		fds[i] = stream_open(port, admin, id, &status, got, sizeof(got));
		ck_assert_msg(status == 200, "stream %d after the run ended: %s", i, got);
	}
	for (i = 0; i < USER_STREAMS; i++)
		close(fds[i]);

	for (i = 0; i < 50 && metric_of(pid, "fragent_sse_refused_total") < 2; i++)
		usleep(100 * 1000);
	ck_assert_int_eq((int)metric_of(pid, "fragent_sse_refused_total"), 2);
	cancel(id);
	cancel(own);
	free(other);
	eng_jobd_stop(pid, SIGTERM);
}
END_TEST

/* SIGTERM as soon as a jobd beside the stack logs its first line, while the engine is still
 * starting (supervisord or systemd stopping it then): it stops cleanly, not killed by the
 * signal. */
START_TEST(test_jobd_stopped_while_starting)
{
	char	 log[512];
	pid_t	 pid;
	int	 i;

	eng_log_path(log, sizeof(log), "jobd-stopped-early.log");
	unlink(log);
	pid = eng_jobd_start("stopped-early", "jobd-stopped-early.log");
	for (i = 0; i < 10000 && check_lines_with(log, "open files: up to") == 0; i++)
		usleep(1000);
	ck_assert_int_eq(check_lines_with(log, "open files: up to"), 1);
	eng_jobd_stop(pid, SIGTERM);
}
END_TEST

/* FRAGENT_SSE_PROCS=1: jobd binds the port alone, so a listener copy stops at once. */
START_TEST(test_listener_refused_alone)
{
	char	 log[512];
	int	 st;
	pid_t	 pid;

	eng_log_path(log, sizeof(log), "listener-alone.log");
	unlink(log);
	pid = eng_listener_start(eng_free_port(), 1, NULL, 0, "listener-alone.log");
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 2, "status %d", st);
	ck_assert_int_eq(check_lines_with(log, "FRAGENT_SSE_PROCS must count the processes"), 1);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("listener");
	TCase	*tc = tcase_create("listener");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_listener_out_of_descriptors);
	tcase_add_test(tc, test_listener_refused_alone);
	tcase_add_test(tc, test_listener_user_stream_limit);
	tcase_add_test(tc, test_jobd_stopped_while_starting);
	suite_add_tcase(s, tc);
	return check_run(s);
}
