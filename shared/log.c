/* log.c: JSON-lines logger (see log.h). Each line is built in memory and written with one write(2). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/uio.h>

#include <json-c/json.h>

#include "jsonh.h"
#include "log.h"

static const char *const log_level_names[LOGL__MAX] = {
	[LOGL_DEBUG] = "debug",
	[LOGL_INFO] = "info",
	[LOGL_WARN] = "warn",
	[LOGL_ERROR] = "error",
};

static char		 log_component[32] = "fragent";
static enum log_level	 log_min = LOGL_INFO;

void
log_setup(const char *component, enum log_level min)
{
	snprintf(log_component, sizeof(log_component), "%s", component);
	log_min = min;
}

int
log_level_parse(const char *s, enum log_level *out)
{
	size_t	 i;

	for (i = 0; i < LOGL__MAX; i++)
		if (strcmp(s, log_level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	return -1;
}

void
log_timestamp(char *out, size_t len)
{
	struct timespec	 ts;
	struct tm	 tm;
	char		 base[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, len, "%.19s.%03dZ", base, (int)(ts.tv_nsec / 1000000) % 1000);
}

void
log_emit(enum log_level lvl, const struct log_ids *ids, const char *fmt, ...)
{
	json_object	*o;
	const char	*line;
	char		 msg[2048], when[40];
	va_list		 ap;
	int		 saved = errno;
	struct iovec	 iov[2];
	ssize_t		 w;

	if (lvl < log_min || lvl >= LOGL__MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_timestamp(when, sizeof(when));
	o = jsonh_new_object();
	json_object_object_add(o, "time", jsonh_new_string(when));
	json_object_object_add(o, "level", jsonh_new_string(log_level_names[lvl]));
	json_object_object_add(o, "component", jsonh_new_string(log_component));
	if (ids != NULL && ids->request_id != NULL && ids->request_id[0] != '\0')
		json_object_object_add(o, "request_id",
		    jsonh_new_string(ids->request_id));
	if (ids != NULL && ids->execution_id != NULL)
		json_object_object_add(o, "execution_id",
		    jsonh_new_string(ids->execution_id));
	json_object_object_add(o, "msg", jsonh_new_string(msg));
	line = json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	/* One writev per line keeps lines whole between threads and processes. */
	iov[0].iov_base = (void *)line;
	iov[0].iov_len = strlen(line);
	iov[1].iov_base = (void *)"\n";
	iov[1].iov_len = 1;
	w = writev(STDERR_FILENO, iov, 2);
	(void)w;
	json_object_put(o);
	errno = saved;
}
