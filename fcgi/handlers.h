/* handlers.h: the API's route handlers, one file per resource. Each returns 0 once it answered. */
#ifndef FRAGENT_HANDLERS_H
#define FRAGENT_HANDLERS_H

#include "req.h"

/* health.c */
int	health_get(struct req *rq);
int	ready_get(struct req *rq);
/* workflows.c */
int	workflows_list(struct req *rq);
int	workflows_create(struct req *rq);
int	workflows_get(struct req *rq);
/* executions.c */
int	executions_create(struct req *rq);
int	executions_get(struct req *rq);

/* dbresp.c: answers the problem that matches a failed database call. Returns 0. */
int	resp_db_error(struct req *rq, int db_rc);
/* dbresp.c: runs "sql", which returns one row of JSON text, and answers it with "status"
 * (404 when no row). Returns 0. */
int	resp_row(struct req *rq, int status, const char *sql, int n, const char *const *params);

#endif
