/* llmsrv_ctl.c: test-side control of tests/llmsrv (see llmsrv_ctl.h). */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>

#include "buf.h"
#include "jsonh.h"
#include "llmsrv_ctl.h"

/* The llmsrv binary: LLMSRV_BIN, else the one beside this program. */
static void
llmsrv_bin(char *out, size_t len)
{
	const char	*env = getenv("LLMSRV_BIN");
	char		 self[1024], *slash;
	ssize_t		 n;

	if (env != NULL) {
		snprintf(out, len, "%s", env);
		return;
	}
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0) {
		snprintf(out, len, "tests/llmsrv");
		return;
	}
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) != NULL)
		*slash = '\0';
	snprintf(out, len, "%s/llmsrv", self);
}

const char *
llmsrv_addr(void)
{
	const char	*a = getenv("LLMSRV_ADDR");

	return a != NULL && a[0] != '\0' ? a : "127.0.0.1";
}

int
llmsrv_start(struct llmsrv *s)
{
	const char	*dir = getenv("LLMSRV_SCENARIOS");
	char		 bin[1100];
	int		 fds[2];
	char		 line[64];
	FILE		*f;

	memset(s, 0, sizeof(*s));
	llmsrv_bin(bin, sizeof(bin));
	if (pipe(fds) == -1)
		return -1;
	if ((s->pid = fork()) == -1)
		return -1;
	if (s->pid == 0) {
		/* Stopping by SIGTERM leaves libevent requests of open connections allocated:
		 * not leaks of the code under test. */
		setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execl(bin, "llmsrv", "-p", "0", "-d",
		    dir ? dir : "tests/llm-scenarios", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	if (f == NULL || fgets(line, sizeof(line), f) == NULL ||
	    sscanf(line, "port %d", &s->port) != 1) {
		if (f != NULL)
			fclose(f);
		llmsrv_stop(s);
		return -1;
	}
	fclose(f);
	snprintf(s->base, sizeof(s->base), "http://%s:%d", llmsrv_addr(), s->port);
	return 0;
}

void
llmsrv_stop(struct llmsrv *s)
{
	if (s == NULL || s->pid <= 0)
		return;
	kill(s->pid, SIGTERM);
	waitpid(s->pid, NULL, 0);
	s->pid = 0;
}

static size_t
ctl_write(char *p, size_t size, size_t n, void *arg)
{
	buf_append(arg, p, size * n);
	return size * n;
}

/* A blocking request to the control routes ("post": the body, or NULL for a GET). Returns
 * the parsed answer or NULL. */
static json_object *
ctl_call(const struct llmsrv *s, const char *path, const char *post)
{
	CURL		*e = curl_easy_init();
	struct buf	 b;
	char		 url[512], err[128];
	json_object	*o = NULL;

	buf_init(&b);
	snprintf(url, sizeof(url), "%s%s", s->base, path);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, ctl_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, 10L);
	if (post != NULL)
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, post);
	if (curl_easy_perform(e) == CURLE_OK && b.len > 0)
		(void)jsonh_parse(b.data, b.len, &o, err, sizeof(err));
	curl_easy_cleanup(e);
	buf_clear(&b);
	return o;
}

json_object *
llmsrv_requests(const struct llmsrv *s, const char *scenario)
{
	char		 path[256];
	json_object	*o, *r;

	snprintf(path, sizeof(path), "/_requests?scenario=%s", scenario);
	if ((o = ctl_call(s, path, NULL)) == NULL)
		return NULL;
	r = json_object_get(json_object_object_get(o, "requests"));
	json_object_put(o);
	return r;
}

int
llmsrv_reset(const struct llmsrv *s)
{
	json_object	*o = ctl_call(s, "/_reset", "");

	json_object_put(o);
	return o != NULL ? 0 : -1;
}

int
llmsrv_upload(const struct llmsrv *s, const char *name, const char *json)
{
	char		 path[256];
	json_object	*o;
	int		 ok;

	snprintf(path, sizeof(path), "/_scenario?name=%s", name);
	o = ctl_call(s, path, json);
	ok = o != NULL;
	json_object_put(o);
	return ok ? 0 : -1;
}
