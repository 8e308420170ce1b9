/* it_listener.c: jobd's processes as the system sees them, started by the test beside the
 * stack. `fragent-jobd --listener` on a port of its own: out of descriptors it stops
 * accepting for a moment instead of waking for the same queued connection at full CPU, says
 * so once, counts its pauses for the scrape, and serves again once connections close; it is
 * refused while FRAGENT_SSE_PROCS says jobd serves the port alone (it could only fail to
 * bind). And a jobd stopped while it starts stops cleanly. */
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

/* Descriptors the listener may hold (what it opens at start is well below), and the
 * connections the test opens, more than it can take. */
#define LISTENER_NOFILE		64
#define HELD_CONNECTIONS	200

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

/* fragent_accept_pauses_total of listener process "pid" in GET /metrics (its snapshot comes
 * every second), 0 without one. */
static double
pauses_of(pid_t pid)
{
	struct http_resp	 r;
	const char		*line, *end, *at;
	char			 who[64];
	double			 v = 0;

	snprintf(who, sizeof(who), "/listener-%ld\"", (long)pid);
	ck_assert_int_eq(http_do("GET", "/metrics", NULL, NULL, NULL, &r), 0);
	ck_assert_msg(r.status == 200, "GET /metrics: %ld", r.status);
	for (line = r.body.data; line != NULL && *line != '\0'; line = end + 1) {
		if ((end = strchr(line, '\n')) == NULL)
			break;
		if (strncmp(line, "fragent_accept_pauses_total{", 28) == 0 &&
		    (at = strstr(line, who)) != NULL && at < end &&
		    (at = strchr(at, '}')) != NULL && at < end)
			v = atof(at + 1);
	}
	http_resp_clear(&r);
	return v;
}

START_TEST(test_listener_out_of_descriptors)
{
	int	 port = eng_free_port(), fds[HELD_CONNECTIONS], i, status = 0;
	char	 log[512];
	long	 cpu0, cpu1;
	pid_t	 pid;

	eng_log_path(log, sizeof(log), "listener-starved.log");
	unlink(log);
	pid = eng_listener_start(port, 2, LISTENER_NOFILE, "listener-starved.log");
	for (i = 0; i < 300 && check_lines_with(log, "listener ready") == 0; i++)
		usleep(50 * 1000);
	ck_assert_msg(check_lines_with(log, "listener ready") == 1, "the listener did not start");
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
	for (i = 0; i < 50 && pauses_of(pid) == 0; i++)
		usleep(100 * 1000);
	ck_assert_msg(pauses_of(pid) >= 1, "no fragent_accept_pauses_total for the listener");
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
	pid = eng_listener_start(eng_free_port(), 1, 0, "listener-alone.log");
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
	tcase_add_test(tc, test_jobd_stopped_while_starting);
	suite_add_tcase(s, tc);
	return check_run(s);
}
