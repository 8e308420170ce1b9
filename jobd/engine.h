/* engine.h: running one execution: claim it, run its nodes in dependency order, record every
 * step in Postgres, publish events, and settle the final status. */
#ifndef FRAGENT_ENGINE_H
#define FRAGENT_ENGINE_H

struct db;
struct redis_conn;

struct engine {
	struct db		*db;
	struct redis_conn	*redis;	/* blocking connection for events */
};

enum engine_rc {
	ENGINE_DONE,		/* finished (or nothing to do): acknowledge the queue entry */
	ENGINE_RETRY,		/* Postgres unreachable: leave the entry pending */
	ENGINE__MAX
};

/* Runs execution "execution_id" to its end. Completed steps of an earlier attempt are kept and
 * not run again. */
enum engine_rc	engine_run(struct engine *eng, const char *execution_id);

#endif
