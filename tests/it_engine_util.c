/* it_engine_util.c: see it_engine_util.h. */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <check.h>
#include <curl/curl.h>

#include "buf.h"
#include "it_engine_util.h"
#include "it_http.h"
#include "jsonh.h"

static pid_t	srv_pid = -1;
static int	srv_in = -1;	/* its stdin: closing it stops the server */
static int	srv_port;

int
eng_srv_port(void)
{
	return srv_port;
}

int
eng_srv_start(void)
{
	return eng_srv_start_on(0);
}

int
eng_srv_start_on(int port)
{
	char	 exe[PATH_MAX], path[PATH_MAX + 16], line[64], portarg[16], *slash;
	int	 in[2], out[2];
	ssize_t	 n;
	FILE	*f;

	if (srv_pid > 0)
		return srv_port;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ck_assert(n > 0);
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) != NULL)
		*slash = '\0';
	snprintf(path, sizeof(path), "%s/testsrv", exe);
	snprintf(portarg, sizeof(portarg), "%d", port);
	ck_assert(pipe(in) == 0 && pipe(out) == 0);
	if ((srv_pid = fork()) == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		close(in[1]);
		close(out[0]);
		execl(path, "testsrv", portarg, "--stdin", (char *)NULL);
		_exit(127);
	}
	ck_assert(srv_pid > 0);
	close(in[0]);
	close(out[1]);
	srv_in = in[1];
	f = fdopen(out[0], "r");
	ck_assert_msg(f != NULL && fgets(line, sizeof(line), f) != NULL, "testsrv did not start");
	ck_assert(sscanf(line, "port %d", &srv_port) == 1);
	fclose(f);
	return srv_port;
}

void
eng_srv_stop(void)
{
	if (srv_pid <= 0)
		return;
	close(srv_in);
	kill(srv_pid, SIGTERM);
	waitpid(srv_pid, NULL, 0);
	srv_pid = -1;
}

static size_t
eng_on_body(char *p, size_t size, size_t n, void *arg)
{
	buf_append(arg, p, size * n);
	return size * n;
}

long
eng_srv_count(const char *key)
{
	struct buf	 b;
	char		 url[256], err[64];
	json_object	*o = NULL;
	CURL		*c = curl_easy_init();
	long		 n = -1;

	buf_init(&b);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/counter/%s", srv_port, key);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, eng_on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);
	if (curl_easy_perform(c) == CURLE_OK &&
	    jsonh_parse(b.data, b.len, &o, err, sizeof(err)) == 0)
		n = (long)json_object_get_int64(json_object_object_get(o, "count"));
	json_object_put(o);
	curl_easy_cleanup(c);
	buf_clear(&b);
	return n;
}

void
eng_workflow(const char *def, char id[UUID_STRLEN + 1])
{
	struct http_resp	 r;
	struct buf		 body;

	buf_init(&body);
	buf_printf(&body, "{\"name\":\"engine-it\",\"description\":\"\",\"definition\":%s}", def);
	ck_assert_int_eq(http_post_json("/api/v1/workflows", body.data, &r), 0);
	ck_assert_msg(r.status == 201, "create workflow: %ld %s", r.status, r.body.data);
	snprintf(id, UUID_STRLEN + 1, "%s", jsonh_get_string(r.json, "id"));
	http_resp_clear(&r);
	buf_clear(&body);
}

void
eng_start(const char *wf, const char *inputs, char id[UUID_STRLEN + 1])
{
	struct http_resp	 r;
	struct buf		 body;
	char			 path[128];

	snprintf(path, sizeof(path), "/api/v1/workflows/%s/executions", wf);
	buf_init(&body);
	buf_printf(&body, "{\"inputs\":%s}", inputs ? inputs : "{}");
	ck_assert_int_eq(http_post_json(path, body.data, &r), 0);
	ck_assert_msg(r.status == 202, "start: %ld %s", r.status, r.body.data);
	snprintf(id, UUID_STRLEN + 1, "%s", jsonh_get_string(r.json, "id"));
	http_resp_clear(&r);
	buf_clear(&body);
}

long
eng_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

json_object *
eng_wait(const char *id, const char *until, long timeout_ms)
{
	struct http_resp	 r;
	char			 path[128];
	const char		*st;
	long			 end = eng_now_ms() + timeout_ms;
	json_object		*out;

	snprintf(path, sizeof(path), "/api/v1/executions/%s", id);
	for (;;) {
		if (http_get(path, &r) == 0 && r.status == 200 && r.json != NULL) {
			st = jsonh_get_string(r.json, "status");
			if (st != NULL && (until != NULL ? strcmp(st, until) == 0 :
			    (strcmp(st, "queued") != 0 && strcmp(st, "running") != 0 &&
			    strcmp(st, "waiting") != 0))) {
				out = json_object_get(r.json);
				http_resp_clear(&r);
				return out;
			}
		}
		http_resp_clear(&r);
		if (eng_now_ms() > end)
			return NULL;
		usleep(50000);
	}
}

json_object *
eng_run(const char *def, const char *inputs, const char *status)
{
	char		 wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1];
	json_object	*ex;

	eng_workflow(def, wf);
	eng_start(wf, inputs, id);
	ex = eng_wait(id, NULL, 30000);
	ck_assert_msg(ex != NULL, "execution %s did not end within 30 s", id);
	ck_assert_msg(strcmp(jsonh_get_string(ex, "status"), status) == 0, "want %s: %s", status,
	    jsonh_str(ex));
	return ex;
}

int
eng_steps(json_object *exec, const char *node_id, const char *status)
{
	json_object	*steps = json_object_object_get(exec, "steps");
	size_t		 i;
	int		 n = 0;

	for (i = 0; steps != NULL && i < json_object_array_length(steps); i++) {
		json_object *s = json_object_array_get_idx(steps, i);

		if (strcmp(jsonh_get_string(s, "node_id"), node_id) == 0 && (status == NULL ||
		    strcmp(jsonh_get_string(s, "status"), status) == 0))
			n++;
	}
	return n;
}

json_object *
eng_step(json_object *exec, const char *node_id)
{
	json_object	*steps = json_object_object_get(exec, "steps"), *best = NULL;
	size_t		 i;

	for (i = 0; steps != NULL && i < json_object_array_length(steps); i++) {
		json_object *s = json_object_array_get_idx(steps, i);

		if (strcmp(jsonh_get_string(s, "node_id"), node_id) == 0 && (best == NULL ||
		    json_object_get_int(json_object_object_get(s, "attempt")) >
		    json_object_get_int(json_object_object_get(best, "attempt"))))
			best = s;
	}
	return best;
}

const char *
eng_fmt(const char *fmt, ...)
{
	static char	 out[16384];
	va_list		 ap;
	int		 n;

	va_start(ap, fmt);
	n = vsnprintf(out, sizeof(out), fmt, ap);
	va_end(ap);
	ck_assert(n > 0 && (size_t)n < sizeof(out));
	return out;
}

int
eng_free_port(void)
{
	struct sockaddr_in	 a;
	socklen_t		 len = sizeof(a);
	int			 fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

void
eng_log_path(char *out, size_t len, const char *name)
{
	const char	*state = getenv("FRAGENT_TEST_STATE_DIR");

	ck_assert_ptr_nonnull(state);
	snprintf(out, len, "%s/log/%s", state, name);
}

/* Starts fragent-jobd with argument "arg" (NULL: none) and the settings "env" (NAME=value,
 * NULL-terminated) over this process's, descriptors capped at "nofile" (0: as inherited),
 * logging to STATE/log/"log_name"; it dies with this process. Returns its pid. */
static pid_t
jobd_spawn(const char *arg, const char *const *env, rlim_t nofile, const char *log_name)
{
	const char	*bin = getenv("FRAGENT_JOBD_BIN");
	struct rlimit	 rl = { nofile, nofile };
	char		 log[512];
	pid_t		 pid;
	int		 fd;

	ck_assert_ptr_nonnull(bin);
	eng_log_path(log, sizeof(log), log_name);
	if ((pid = fork()) == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		for (; *env != NULL; env++)
			putenv((char *)*env);
		if (nofile > 0 && setrlimit(RLIMIT_NOFILE, &rl) != 0)
			_exit(126);
		if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644)) >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(bin, "fragent-jobd", arg, (char *)NULL);
		_exit(127);
	}
	ck_assert_int_gt(pid, 0);
	return pid;
}

pid_t
eng_jobd_start(const char *consumer, const char *log_name)
{
	char		 port[32], name[256];
	const char	*env[] = { port, name, NULL };

	snprintf(port, sizeof(port), "FRAGENT_SSE_PORT=%d", eng_free_port());
	snprintf(name, sizeof(name), "FRAGENT_JOBD_CONSUMER=%s", consumer);
	return jobd_spawn(NULL, env, 0, log_name);
}

pid_t
eng_listener_start(int port, int procs, const char *setting, rlim_t nofile,
    const char *log_name)
{
	char		 p[32], n[32];
	const char	*env[] = { p, n, setting, NULL };

	snprintf(p, sizeof(p), "FRAGENT_SSE_PORT=%d", port);
	snprintf(n, sizeof(n), "FRAGENT_SSE_PROCS=%d", procs);
	return jobd_spawn("--listener", env, nofile, log_name);
}

void
eng_jobd_stop(pid_t pid, int sig)
{
	int	 st;

	ck_assert_msg(waitpid(pid, &st, WNOHANG) == 0, "the second jobd died early");
	kill(pid, sig);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	if (sig == SIGTERM)
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		    "the second jobd did not stop cleanly (status %d)", st);
}

int
eng_jobd_ctl(const char *what)
{
	const char	*sv = getenv("FRAGENT_TEST_SUPERVISORCTL");
	char		 cmd[512];

	ck_assert_msg(sv != NULL, "FRAGENT_TEST_SUPERVISORCTL is not set");
	snprintf(cmd, sizeof(cmd), "%s %s jobd >/dev/null 2>&1", sv, what);
	return it_sh(cmd);
}
