/* check_run.h: runs a Check suite and turns its result into an exit status. */
#ifndef FRAGENT_CHECK_RUN_H
#define FRAGENT_CHECK_RUN_H

#include <check.h>

/* Runs every test of "s" (takes ownership) and returns EXIT_SUCCESS or EXIT_FAILURE. */
int	check_run(Suite *s);

#endif
