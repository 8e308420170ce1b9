/* schedfire.h: fires the workflow schedules that are due (sql/060_triggers.sql, kept by
 * fcgi/schedules.c): every FIRE_TICK a timer on jobd's main loop starts one run per due
 * schedule through shared/launch.h and advances the schedule to its next fire. Several jobd
 * instances fire each fire exactly once (see schedfire.c). */
#ifndef FRAGENT_SCHEDFIRE_H
#define FRAGENT_SCHEDFIRE_H

#include "settings.h"

struct event_base;
struct schedfire;

/* Fires due schedules every second on "base", with a database connection and a Redis
 * connection of its own (from "set", borrowed for the life of the result). Returns NULL
 * when the timer cannot be set up. */
struct schedfire	*schedfire_start(struct event_base *base, const struct jobd_settings *set);
/* Stops and frees; NULL-safe. A fire in progress cannot be: the timer runs on the loop. */
void			 schedfire_stop(struct schedfire *sf);

#endif
