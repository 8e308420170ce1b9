/* sse_fanout.c: opens N Server-Sent Events subscriptions at once (epoll, plain sockets) to
 * host:port for the given executions (round robin), reads every stream to its end (chunked
 * or not, as nginx or jobd answer), and reports the delay from each event's creation ("time"
 * in its data) to its receipt: p50, p99, max. Usage: sse_fanout host port token subscribers
 * seconds exec_id... Ends when every stream ended or after "seconds". More subscribers than
 * one process may hold descriptors for are spread over as many child processes as needed,
 * each reporting its counts and delays to the parent through a pipe. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Where the reader is in the answer's body framing. */
enum body { HEAD, PLAIN, CHUNK_SIZE, CHUNK_DATA, CHUNK_END };

struct conn {
	int		 fd;
	int		 done;
	int		 terminal;	/* in the frame of the terminal event */
	double		 opened;	/* first bytes of the answer (0: not yet) */
	enum body	 body;
	size_t		 chunk_left;	/* CHUNK_SIZE: the size read so far */
	size_t		 rawlen;	/* HEAD: the head read so far */
	char		 raw[2048];
	size_t		 len;		/* the event stream's bytes not yet parsed */
	char		 buf[8192];
};

/* Descriptors a process keeps for itself beside its subscribers. */
#define SPARE_FDS	64

static double	*delays;
static size_t	 ndelays, capdelays;
static long	 events, live, ended, opened;
static double	 all_open;	/* when the last stream opened */

/* What one process of the run counted, sent to the parent before its delays. */
struct tally {
	long	 fails, ended, events, live, delays;
	double	 all_open;	/* when its last stream opened; 0: not all did */
};

static double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Parses "…\"time\":\"YYYY-MM-DDTHH:MM:SS.mmmZ\"…" into epoch ms; -1 when absent. */
static double
event_ms(const char *data)
{
	const char	*p = strstr(data, "\"time\":\"");
	struct tm	 tm;
	int		 ms = 0;

	if (p == NULL)
		return -1;
	memset(&tm, 0, sizeof(tm));
	if (sscanf(p + 8, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	    &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) != 7)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (double)timegm(&tm) * 1000.0 + ms;
}

/* Makes room for "more" delays beyond those recorded. */
static void
delays_reserve(size_t more)
{
	while (ndelays + more > capdelays) {
		capdelays = capdelays ? capdelays * 2 : 65536;
		if ((delays = realloc(delays, capdelays * sizeof(*delays))) == NULL)
			exit(1);
	}
}

static void
record(double d)
{
	delays_reserve(1);
	delays[ndelays++] = d;
}

/* Consumes complete lines of "c": data lines give a delay; a terminal event ends it. */
static void
parse(struct conn *c, double t)
{
	char	*nl, *line = c->buf;
	double	 e;

	while ((nl = memchr(line, '\n', c->len - (size_t)(line - c->buf))) != NULL) {
		*nl = '\0';
		if (strncmp(line, "data: ", 6) == 0 && (e = event_ms(line)) > 0) {
			events++;
			/* Live events only: those created after this stream opened (the older ones
			 * are its catch-up, whose delay is the connection's, not delivery's). */
			if (e >= c->opened) {
				record(t - e);
				live++;
			}
		}
		if (strncmp(line, "event: execution.", 17) == 0 &&
		    strcmp(line, "event: execution.started") != 0)
			c->terminal = 1;
		/* The stream ends with the terminal event's frame: its data line comes after the
		 * event line, maybe in a later read. */
		if (line[0] == '\0' && c->terminal && !c->done) {
			c->done = 1;
			ended++;
		}
		line = nl + 1;
	}
	c->len -= (size_t)(line - c->buf);
	memmove(c->buf, line, c->len);
}

/* Appends "n" bytes of the event stream to the line buffer, parsing as it fills. */
static void
take(struct conn *c, const char *p, size_t n, double t)
{
	size_t	 k;

	while (n > 0) {
		k = sizeof(c->buf) - 1 - c->len;
		if (k == 0) {		/* a line longer than the buffer: not ours to count */
			c->len = 0;
			k = sizeof(c->buf) - 1;
		}
		if (k > n)
			k = n;
		memcpy(c->buf + c->len, p, k);
		c->len += k;
		p += k;
		n -= k;
		parse(c, t);
	}
}

/* Feeds "n" bytes read from the socket: the answer's head, then its body, de-chunked. */
static void
feed(struct conn *c, const char *p, size_t n, double t)
{
	const char	*end;
	size_t		 k;

	if (c->body == HEAD) {
		size_t	 had = c->rawlen;

		k = sizeof(c->raw) - 1 - had < n ? sizeof(c->raw) - 1 - had : n;
		memcpy(c->raw + had, p, k);
		c->rawlen += k;
		c->raw[c->rawlen] = '\0';
		if ((end = strstr(c->raw, "\r\n\r\n")) == NULL)
			return;
		c->body = strcasestr(c->raw, "transfer-encoding: chunked") != NULL ? CHUNK_SIZE :
		    PLAIN;
		c->chunk_left = 0;
		/* The body starts in this read, after the head's last bytes. */
		k = (size_t)(end + 4 - c->raw) - had;
		p += k;
		n -= k;
	}
	while (n > 0) {
		switch (c->body) {
		case PLAIN:
			take(c, p, n, t);
			return;
		case CHUNK_SIZE:
			if (*p == '\n') {
				c->body = c->chunk_left == 0 ? PLAIN : CHUNK_DATA;
				if (c->chunk_left == 0)		/* the last chunk: nothing follows */
					return;
			} else if (isxdigit((unsigned char)*p))
				c->chunk_left = c->chunk_left * 16 + (size_t)(isdigit((unsigned char)*p)
				    ? *p - '0' : tolower((unsigned char)*p) - 'a' + 10);
			p++;
			n--;
			break;
		case CHUNK_DATA:
			k = c->chunk_left < n ? c->chunk_left : n;
			take(c, p, k, t);
			p += k;
			n -= k;
			if ((c->chunk_left -= k) == 0)
				c->body = CHUNK_END;
			break;
		default:	/* CHUNK_END: the CRLF after a chunk's data */
			if (*p == '\n')
				c->body = CHUNK_SIZE;
			p++;
			n--;
			break;
		}
	}
}

static int
cmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* To a loopback server, process "k" connects from loopback address 127.0.0.(k + 1), its
 * port chosen at connect (IP_BIND_ADDRESS_NO_PORT): each source address has its own range
 * of ephemeral ports, which tens of thousands of connections to one address and port would
 * otherwise exhaust, and crowd (the kernel searching longer and longer for a free one).
 * Returns 0 or -1. */
static int
bind_source(int fd, const struct sockaddr_in *to, int k)
{
	struct sockaddr_in	 from;
	int			 on = 1;

	if ((ntohl(to->sin_addr.s_addr) >> 24) != 127)
		return 0;
	memset(&from, 0, sizeof(from));
	from.sin_family = AF_INET;
	from.sin_addr.s_addr = htonl(0x7f000001u + (uint32_t)k);
	if (setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof(on)) != 0)
		return -1;
	return bind(fd, (struct sockaddr *)&from, sizeof(from));
}

/* Subscribes "nsubs" streams of the run, the subscribers first, first + step, ..., to the
 * executions of "execs" ("nexec", round robin), reads them until they end or "deadline", and
 * fills "t" (the delays stay in "delays"). */
static void
subscribe(const struct sockaddr_in *sa, const char *host, const char *token, int first,
    int step, int nsubs, char **execs, int nexec, double deadline, struct tally *t)
{
	struct epoll_event	 ev, evs[512];
	struct conn		*conns;
	char			 req[2048];
	int			 ep, i, n, fails = 0;

	if ((conns = calloc((size_t)nsubs, sizeof(*conns))) == NULL || (ep = epoll_create1(0)) < 0)
		exit(1);
	for (i = 0; i < nsubs; i++) {
		struct conn *c = &conns[i];

		c->fd = socket(AF_INET, SOCK_STREAM, 0);
		if (c->fd < 0 || bind_source(c->fd, sa, first) != 0 ||
		    connect(c->fd, (const struct sockaddr *)sa, sizeof(*sa)) != 0) {
			fails++;
			c->done = 1;
			ended++;
			continue;
		}
		n = snprintf(req, sizeof(req), "GET /api/v1/executions/%s/events HTTP/1.1\r\n"
		    "Host: %s\r\nAuthorization: Bearer %s\r\nAccept: text/event-stream\r\n\r\n",
		    execs[(first + i * step) % nexec], host, token);
		if (write(c->fd, req, (size_t)n) != n)
			fails++;
		fcntl(c->fd, F_SETFL, O_NONBLOCK);
		ev.events = EPOLLIN;
		ev.data.ptr = c;
		epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
	}
	while (ended < nsubs && now_ms() < deadline) {
		n = epoll_wait(ep, evs, 512, 200);
		for (i = 0; i < n; i++) {
			struct conn	*c = evs[i].data.ptr;
			char		 in[16384];
			ssize_t		 r = read(c->fd, in, sizeof(in));

			if (r <= 0) {
				if (r < 0 && errno == EAGAIN)
					continue;
				epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
				if (!c->done) {
					c->done = 1;
					ended++;
				}
				continue;
			}
			if (c->opened == 0) {
				c->opened = now_ms();
				if (++opened == nsubs)
					all_open = c->opened;
			}
			feed(c, in, (size_t)r, now_ms());
		}
	}
	for (i = 0; i < nsubs; i++)
		if (conns[i].fd >= 0)
			close(conns[i].fd);
	free(conns);
	close(ep);
	*t = (struct tally){ fails, ended, events, live, (long)ndelays, all_open };
}

/* Writes or reads all "n" bytes of "p" on "fd". Returns 0 or -1. */
static int
pipe_io(int fd, void *p, size_t n, int out)
{
	ssize_t	 r;

	while (n > 0) {
		r = out ? write(fd, p, n) : read(fd, p, n);
		if (r <= 0)
			return -1;
		p = (char *)p + r;
		n -= (size_t)r;
	}
	return 0;
}

/* Starts child "k" of "nproc" on its share of the subscribers; returns the pipe it reports
 * on, or -1. */
static int
spawn_share(const struct sockaddr_in *sa, char *argv[], int nexec, int k, int nproc,
    int nsubs, double deadline)
{
	struct tally	 t;
	int		 fds[2], share = nsubs / nproc + (k < nsubs % nproc);

	if (pipe(fds) != 0)
		return -1;
	switch (fork()) {
	case -1:
		return -1;
	case 0:
		close(fds[0]);
		subscribe(sa, argv[1], argv[3], k, nproc, share, argv + 6, nexec, deadline, &t);
		exit(pipe_io(fds[1], &t, sizeof(t), 1) == 0 && pipe_io(fds[1], delays,
		    ndelays * sizeof(*delays), 1) == 0 ? 0 : 1);
	default:
		close(fds[1]);
		return fds[0];
	}
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in	 sa;
	struct rlimit		 rl;
	struct tally		 t, sum = { 0 };
	int			 k, nsubs, nexec, secs, nproc, per_proc, *pipes;
	double			 deadline, start;

	if (argc < 7) {
		fprintf(stderr, "usage: sse_fanout host port token subscribers seconds exec_id...\n");
		return 2;
	}
	nsubs = atoi(argv[4]);
	secs = atoi(argv[5]);
	nexec = argc - 6;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)atoi(argv[2]));
	inet_pton(AF_INET, argv[1], &sa.sin_addr);
	if (nsubs < 1 || getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur <= SPARE_FDS * 2)
		return 2;
	per_proc = rl.rlim_cur - SPARE_FDS > 100000 ? 100000 : (int)(rl.rlim_cur - SPARE_FDS);
	nproc = (nsubs + per_proc - 1) / per_proc;
	if ((pipes = calloc((size_t)nproc, sizeof(*pipes))) == NULL)
		return 1;
	start = now_ms();
	deadline = start + secs * 1000.0;
	/* Each child takes subscribers k, k + nproc, ...: every execution gets its share. */
	for (k = 0; k < nproc; k++)
		if ((pipes[k] = spawn_share(&sa, argv, nexec, k, nproc, nsubs, deadline)) == -1)
			return 1;
	fprintf(stderr, "sse_fanout: %d subscribers over %d process%s\n", nsubs, nproc,
	    nproc > 1 ? "es" : "");
	for (k = 0; k < nproc; k++) {
		if (pipe_io(pipes[k], &t, sizeof(t), 0) != 0) {
			fprintf(stderr, "sse_fanout: process %d reported nothing\n", k);
			return 1;
		}
		delays_reserve((size_t)t.delays);
		if (pipe_io(pipes[k], delays + ndelays, (size_t)t.delays * sizeof(*delays), 0) != 0)
			return 1;
		ndelays += (size_t)t.delays;
		close(pipes[k]);
		sum.fails += t.fails;
		sum.ended += t.ended;
		sum.events += t.events;
		sum.live += t.live;
		/* Every stream open when every process saw all of its own open: at the latest. */
		if (t.all_open == 0 || (k > 0 && sum.all_open == 0))
			sum.all_open = 0;
		else if (t.all_open > sum.all_open)
			sum.all_open = t.all_open;
	}
	while (wait(NULL) > 0)
		;
	free(pipes);
	qsort(delays, ndelays, sizeof(*delays), cmp);
	printf("subscribers: %d (connect failures %ld), streams ended: %ld, events received: %ld "
	    "(%ld live)\n", nsubs, sum.fails, sum.ended, sum.events, sum.live);
	if (sum.all_open > 0)
		printf("all %d streams open after %.0f ms (%.0f per second)\n", nsubs,
		    sum.all_open - start, nsubs * 1000.0 /
		    (sum.all_open - start > 1 ? sum.all_open - start : 1));
	if (ndelays > 0)
		printf("live events, delay creation -> receipt: p50 %.0f ms, p99 %.0f ms, max %.0f ms\n",
		    delays[ndelays / 2], delays[(size_t)((double)ndelays * 0.99)],
		    delays[ndelays - 1]);
	free(delays);
	return sum.ended == nsubs && sum.fails == 0 ? 0 : 1;
}
