/* consumer.h: one worker's membership of the queue's consumer group: XREADGROUP for new
 * entries (bounded by the worker's in-flight limit), its own pending entries after a start
 * or reconnect, and XAUTOCLAIM of entries idle longer than a lease (their worker died). */
#ifndef FRAGENT_CONSUMER_H
#define FRAGENT_CONSUMER_H

struct worker;
struct consumer;

/* Creates the group if needed and starts reading for "w". Returns NULL on failure. */
struct consumer	*consumer_start(struct worker *w);
/* Reads again if it paused at the in-flight limit. */
void		 consumer_resume(struct consumer *c);
/* Stops reading and frees; NULL-safe. Executions already started go on. */
void		 consumer_stop(struct consumer *c);

#endif
