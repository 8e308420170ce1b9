/* health.c: GET /health (the process answers) and GET /ready (PostgreSQL and Redis answer). */
#include "config.h"

#include "db.h"
#include "handlers.h"
#include "jsonh.h"
#include "log.h"
#include "redisconn.h"

int
health_get(struct req *rq)
{
	static const char body[] = "{\"status\":\"ok\"}";

	return resp_raw_json(rq, 200, body, sizeof(body) - 1);
}

int
ready_get(struct req *rq)
{
	json_object	*checks, *o, *errors;
	int		 pg_ok, redis_ok, rc;

	pg_ok = db_ping(rq->app->db) == DB_OK;
	redis_ok = redis_conn_ping(rq->app->redis) == 0;
	checks = jsonh_new_object();
	json_object_object_add(checks, "postgres", jsonh_new_string(pg_ok ? "ok" : "down"));
	json_object_object_add(checks, "redis", jsonh_new_string(redis_ok ? "ok" : "down"));
	if (pg_ok && redis_ok) {
		o = jsonh_new_object();
		json_object_object_add(o, "status", jsonh_new_string("ready"));
		json_object_object_add(o, "checks", checks);
		rc = resp_json(rq, 200, o);
		json_object_put(o);
		return rc;
	}
	errors = jsonh_new_array();
	json_object_object_foreach(checks, name, state) {
		if (json_object_get_string(state)[0] == 'd') {
			o = jsonh_new_object();
			json_object_object_add(o, "field", jsonh_new_string(name));
			json_object_object_add(o, "message", jsonh_new_string("unreachable"));
			json_object_array_add(errors, o);
		}
	}
	log_warn(LOG_IDS(rq->request_id, NULL), "not ready: postgres %s, redis %s",
	    pg_ok ? "ok" : "down", redis_ok ? "ok" : "down");
	rc = resp_problem(rq, 503, "a dependency is unavailable", errors);
	json_object_put(errors);
	json_object_put(checks);
	return rc;
}
