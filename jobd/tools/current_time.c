/* current_time.c: the current_time tool: {iso, unix, timezone, utc_offset, abbreviation}
 * for an IANA time zone (UTC by default), read from the system's zone files
 * (shared/tzif.c). */
#include "config.h"

#include "tools.h"

TOOL_DEF(current_time,
	.title = "Current time",
	.description = "Returns the current date and time as {iso, unix, timezone} in the "
	    "given IANA time zone (UTC by default).",
	.input_schema =
	    "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
	    "\"timezone\":{\"type\":\"string\",\"maxLength\":64,"
	    "\"pattern\":\"^[A-Za-z0-9_+/-]+$\",\"default\":\"UTC\","
	    "\"title\":\"Time zone\",\"examples\":[\"Europe/Paris\"]}}}");

#ifdef JOBD_BUILD
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jsonh.h"
#include "tool.h"
#include "tzif.h"

static enum tool_rc
current_time_run(struct tool_call *t, json_object **result, char *err, size_t errlen)
{
	const char	*zone = jsonh_get_string(t->args, "timezone");
	struct timespec	 now;
	struct tm	 tm;
	time_t		 local;
	long		 off = 0;
	char		 abbr[32] = "UTC", iso[160], offs[32];
	json_object	*o;

	if (json_object_object_get(t->args, "timezone") != NULL && zone == NULL) {
		snprintf(err, errlen, "\"timezone\" must be a string such as \"Europe/Paris\"");
		return TOOL_ERROR;
	}
	if (zone == NULL || *zone == '\0')
		zone = "UTC";
	clock_gettime(CLOCK_REALTIME, &now);
	if (strcmp(zone, "UTC") != 0 && tzif_zone(zone, (int64_t)now.tv_sec, &off, abbr,
	    sizeof(abbr), err, errlen) == -1)
		return TOOL_ERROR;
	local = now.tv_sec + off;
	gmtime_r(&local, &tm);
	snprintf(offs, sizeof(offs), "%c%02d:%02d", off < 0 ? '-' : '+',
	    (int)(labs(off) / 3600 % 100),
	    (int)(labs(off) % 3600 / 60));
	snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02d%s", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    off == 0 ? "Z" : offs);
	o = jsonh_new_object();
	json_object_object_add(o, "iso", jsonh_new_string(iso));
	json_object_object_add(o, "unix", jsonh_new_int64((int64_t)now.tv_sec));
	json_object_object_add(o, "timezone", jsonh_new_string(zone));
	json_object_object_add(o, "utc_offset", jsonh_new_string(offs));
	json_object_object_add(o, "abbreviation", jsonh_new_string(abbr));
	json_object_object_add(o, "weekday", jsonh_new_string(
	    (const char *const[]){ "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
	    "Friday", "Saturday" }[tm.tm_wday]));
	*result = o;
	return TOOL_OK;
}

TOOL_IMPL(current_time, current_time_run, NULL);
#endif
