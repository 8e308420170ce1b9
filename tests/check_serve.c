/* check_serve.c: unit tests of the API's FastCGI server (fcgi/serve.c) on a Unix socket of
 * its own: a process out of descriptors keeps its connections queued, says so once, counts
 * the pause and does not spin, then serves again once descriptors are free. */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_run.h"
#include "fgconfig.h"
#include "log.h"
#include "metrics.h"
#include "serve.h"

/* Connections the client side opens while the server may accept two. */
#define HELD_CONNECTIONS	8

struct served {
	struct app	 app;
	struct redis_url ru;
	int		 rc;
};

static void *
serve_thread(void *arg)
{
	struct served	*s = arg;

	s->rc = serve_run(&s->app, &s->ru, 2);
	return NULL;
}

static void
sleep_ms(long ms)
{
	struct timespec	 ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* The descriptor limit that leaves this process "room" descriptors free: each free number
 * below it is one, whatever is open above (valgrind keeps its own above the limit it shows). */
static rlim_t
limit_for_room(rlim_t limit, int room)
{
	DIR		*d = opendir("/proc/self/fd");
	struct dirent	*e;
	bool		*open;
	rlim_t		 fd;
	long		 n;

	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(open = calloc(limit, sizeof(*open)));
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && (n = atol(e->d_name)) != dirfd(d) && n >= 0 &&
		    (rlim_t)n < limit)
			open[n] = true;
	closedir(d);
	for (fd = 0; fd < limit && room > 0; fd++)
		if (!open[fd])
			room--;
	free(open);
	ck_assert_int_eq(room, 0);
	return fd;
}

/* Milliseconds of CPU this process has used. */
static long
cpu_ms(void)
{
	struct rusage	 ru;

	ck_assert_int_eq(getrusage(RUSAGE_SELF, &ru), 0);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000L +
	    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000L;
}

static int
connect_to(const char *path)
{
	struct sockaddr_un	 a = { .sun_family = AF_UNIX };
	int			 fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Appends a FastCGI record of "type" with "len" bytes of "body" to "out" at "*at". */
static void
fcgi_record(unsigned char *out, size_t *at, int type, const void *body, size_t len)
{
	unsigned char	*h = out + *at;

	h[0] = 1;		/* version */
	h[1] = (unsigned char)type;
	h[2] = 0;
	h[3] = 1;		/* request id 1 */
	h[4] = (unsigned char)(len >> 8);
	h[5] = (unsigned char)len;
	h[6] = 0;		/* no padding */
	h[7] = 0;
	if (len > 0)
		memcpy(h + 8, body, len);
	*at += 8 + len;
}

/* Appends the name-value pair "name"="value" (both shorter than 128 bytes) to "p". */
static void
fcgi_pair(unsigned char *p, size_t *at, const char *name, const char *value)
{
	size_t	 nl = strlen(name), vl = strlen(value);

	p[(*at)++] = (unsigned char)nl;
	p[(*at)++] = (unsigned char)vl;
	memcpy(p + *at, name, nl);
	*at += nl;
	memcpy(p + *at, value, vl);
	*at += vl;
}

/* Sends GET "uri" on a new connection to "path" and returns what the server answered on
 * its standard output (up to "len" bytes), "" when it did not answer within 5 s. */
static void
fcgi_get(const char *path, const char *uri, char *out, size_t len)
{
	static const unsigned char begin[8] = { 0, 1, 0 };	/* responder, close after */
	unsigned char	 req[1024], params[512], h[8], body[65536];
	struct timeval	 tv = { 5, 0 };
	size_t		 at = 0, pl = 0, got = 0, n;
	int		 fd = connect_to(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	fcgi_pair(params, &pl, "REQUEST_METHOD", "GET");
	fcgi_pair(params, &pl, "REQUEST_URI", uri);
	fcgi_pair(params, &pl, "QUERY_STRING", "");
	fcgi_record(req, &at, 1, begin, sizeof(begin));		/* BEGIN_REQUEST */
	fcgi_record(req, &at, 4, params, pl);			/* PARAMS */
	fcgi_record(req, &at, 4, NULL, 0);
	fcgi_record(req, &at, 5, NULL, 0);			/* STDIN, empty */
	ck_assert_int_eq(write(fd, req, at), (ssize_t)at);
	out[0] = '\0';
	/* Records until END_REQUEST (3); STDOUT (6) bodies are the answer. */
	while (recv(fd, h, sizeof(h), MSG_WAITALL) == (ssize_t)sizeof(h) && h[1] != 3) {
		n = ((size_t)h[4] << 8 | h[5]) + h[6];
		if (recv(fd, body, n, MSG_WAITALL) != (ssize_t)n)
			break;
		n -= h[6];
		if (h[1] == 6 && got + n < len) {
			memcpy(out + got, body, n);
			got += n;
			out[got] = '\0';
		}
	}
	close(fd);
}

/* A child process (its own descriptor table, forked before the server's threads exist)
 * that opens HELD_CONNECTIONS connections to "path" once a byte comes on "hold" and holds
 * them until "hold" is closed on the other end. Returns the child. */
static pid_t
hold_connections(const char *path, int hold[2])
{
	pid_t	 pid;
	char	 c;
	int	 i;

	ck_assert_int_eq(pipe(hold), 0);
	if ((pid = fork()) == 0) {
		close(hold[1]);
		if (read(hold[0], &c, 1) != 1)
			_exit(1);
		for (i = 0; i < HELD_CONNECTIONS; i++)
			if (connect_to(path) == -1)
				_exit(1);
		(void)!read(hold[0], &c, 1);
		_exit(0);
	}
	ck_assert_int_gt(pid, 0);
	close(hold[0]);
	return pid;
}

START_TEST(test_serve_out_of_descriptors)
{
	struct served		 s;
	struct metrics		*counts;
	struct sockaddr_un	 a = { .sun_family = AF_UNIX };
	struct rlimit		 orig, low;
	pthread_t		 tid;
	sigset_t		 term;
	char			 dir[] = "/tmp/check_serve.XXXXXX", sock[64], log[64];
	char			 answer[8192], err[256];
	long			 cpu0, cpu1;
	int			 fd, hold[2], st, i;
	pid_t			 child;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sock, sizeof(sock), "%s/api.sock", dir);
	snprintf(log, sizeof(log), "%s/api.log", dir);
	child = hold_connections(sock, hold);
	/* The server's log lines go to standard error: into "log". */
	ck_assert_int_ge(fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600), 0);
	ck_assert_int_eq(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	close(fd);
	log_setup("api", LOGL_INFO);
	/* The listening socket on descriptor 0, as supervisord hands it. */
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", sock);
	ck_assert_int_ge(fd = socket(AF_UNIX, SOCK_STREAM, 0), 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(fd, 64), 0);
	ck_assert_int_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);

	metrics_use(counts = metrics_new(0));
	memset(&s, 0, sizeof(s));
	ck_assert_msg(config_load(&s.app.cfg, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(redis_url_parse("redis://127.0.0.1:1", &s.ru), 0);
	/* SIGTERM ends the server: only its signal descriptor may see it. */
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigaddset(&term, SIGINT);
	pthread_sigmask(SIG_BLOCK, &term, NULL);
	ck_assert_int_eq(pthread_create(&tid, NULL, serve_thread, &s), 0);
	for (i = 0; i < 500 && check_lines_with(log, "fragent-api ready") == 0; i++)
		sleep_ms(10);
	ck_assert_int_eq(check_lines_with(log, "fragent-api ready"), 1);

	/* Room for two more descriptors: the third held connection cannot be accepted. */
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &orig), 0);
	low = orig;
	low.rlim_cur = limit_for_room(orig.rlim_cur, 2);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
	ck_assert_int_eq(write(hold[1], "g", 1), 1);
	sleep_ms(200);
	cpu0 = cpu_ms();
	sleep_ms(500);
	cpu1 = cpu_ms();
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &orig), 0);
	ck_assert_msg(cpu1 - cpu0 < 250, "the server spun: %ld ms of CPU in 500 ms", cpu1 - cpu0);
	ck_assert_int_eq(check_lines_with(log, "Too many open files"), 1);
	ck_assert_uint_ge(metrics_value(counts, M_ACCEPT_PAUSES, 0, 0), 1);

	/* The held connections go: the queued ones are taken, and a request is answered. */
	close(hold[1]);
	ck_assert_int_eq(waitpid(child, &st, 0), child);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	fcgi_get(sock, "/api/v1/no-such-route", answer, sizeof(answer));
	ck_assert_msg(strstr(answer, "Status: 404") != NULL, "answer: %s", answer);

	kill(getpid(), SIGTERM);
	ck_assert_int_eq(pthread_join(tid, NULL), 0);
	ck_assert_int_eq(s.rc, 0);
	config_clear(&s.app.cfg);
	metrics_use(NULL);
	metrics_free(counts);
	unlink(sock);
	unlink(log);
	rmdir(dir);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("serve");
	TCase	*tc = tcase_create("serve");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_serve_out_of_descriptors);
	suite_add_tcase(s, tc);
	return check_run(s);
}
