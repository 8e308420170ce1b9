/* workflows.h: what workflows.c shares with wfio.c (validate, export, import). */
#ifndef FRAGENT_WORKFLOWS_H
#define FRAGENT_WORKFLOWS_H

#include <json-c/json.h>

#include "req.h"

/* Validates "def" as a definition (every problem with its node id). Returns 0, or -1 after
 * answering 413 (over a cap of the definition as a whole) or 422. */
int	workflows_check_definition(struct req *rq, json_object *def);
/* Inserts a workflow of the caller from "name", "description" (may be NULL) and a valid
 * "def", answering 201 with it. Returns 0. */
int	workflows_insert(struct req *rq, const char *name, const char *description,
	    json_object *def);

#endif
