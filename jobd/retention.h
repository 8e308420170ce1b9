/* retention.h: the retention job: deletes ended executions older than their workflow's
 * retention_days (NULL: FRAGENT_RETENTION_DAYS; chats always follow the setting; 0 keeps
 * them forever), with their steps and the child runs they started (ON DELETE CASCADE), in
 * batches bounded in rows and time so that jobd's main loop is never held long. Running
 * executions, and ended ones with a child still running, are never touched. Several jobd
 * instances share the work (FOR UPDATE SKIP LOCKED). Redis event streams expire alone. */
#ifndef FRAGENT_RETENTION_H
#define FRAGENT_RETENTION_H

#include "settings.h"

struct event_base;
struct retention;

/* Runs the job on "base" every settings->retention_ms, sooner while a backlog remains.
 * Returns NULL when out of memory or when the database or the timer cannot be set up. */
struct retention	*retention_start(struct event_base *base,
			    const struct jobd_settings *set);
/* Stops and frees; NULL-safe. */
void			 retention_stop(struct retention *rt);

#endif
