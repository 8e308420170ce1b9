/* check_run.h: runs a Check suite and turns its result into an exit status; small helpers
 * the unit suites share. */
#ifndef FRAGENT_CHECK_RUN_H
#define FRAGENT_CHECK_RUN_H

#include <stdint.h>

#include <check.h>

/* Runs every test of "s" (takes ownership) and returns EXIT_SUCCESS or EXIT_FAILURE. */
int	check_run(Suite *s);
/* Unix seconds of "YYYY-MM-DDTHH:MM:SSZ" (fails the test on another form). */
int64_t	check_utc(const char *iso);
/* Lines of file "path" (a log) that contain "what"; 0 while it does not exist. */
int	check_lines_with(const char *path, const char *what);

#endif
