/* memory.c: agent conversation memory over agent_messages (see memory.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "jsonh.h"
#include "memory.h"

#define SQL_MEMORY_LOAD \
	"SELECT content FROM (SELECT id, content FROM agent_messages " \
	"WHERE agent_id = $1 AND session_id = $2 ORDER BY id DESC LIMIT $3) m ORDER BY id"
#define SQL_MEMORY_SAVE \
	"WITH gone AS (DELETE FROM agent_messages WHERE execution_id = $3 AND node_id = $4) " \
	"INSERT INTO agent_messages (agent_id, session_id, role, content, execution_id, node_id) " \
	"SELECT $1, $2, t.m->>'role', t.m, $3, $4 " \
	"FROM jsonb_array_elements($5::jsonb) WITH ORDINALITY AS t(m, n) ORDER BY t.n"

void
memory_trim_head(json_object *msgs)
{
	size_t		 n = 0;
	const char	*role;

	while (n < json_object_array_length(msgs)) {
		role = jsonh_get_string(json_object_array_get_idx(msgs, n), "role");
		if (role != NULL && strcmp(role, "user") == 0)
			break;
		n++;
	}
	if (n > 0)
		json_object_array_del_idx(msgs, 0, n);
}

int
memory_load(struct db *db, const char *agent_id, const char *session_id, int window,
    json_object **out, char *err, size_t errlen)
{
	PGresult	*res = NULL;
	json_object	*arr = NULL, *m;
	char		 lim[16];
	int		 i, rc = -1;

	*out = NULL;
	if (window < 1 || window > MEMORY_MAX_WINDOW) {
		snprintf(err, errlen, "memory window must be 1 to %d", MEMORY_MAX_WINDOW);
		return -1;
	}
	snprintf(lim, sizeof(lim), "%d", window);
	if (db_exec(db, SQL_MEMORY_LOAD, 3, (const char *[]){ agent_id, session_id, lim },
	    &res) != DB_OK) {
		snprintf(err, errlen, "cannot read the conversation memory");
		goto out;
	}
	arr = jsonh_new_array();
	for (i = 0; i < PQntuples(res); i++)
		if ((m = db_json(res, i, 0)) != NULL)
			json_object_array_add(arr, m);
	memory_trim_head(arr);
	*out = arr;
	arr = NULL;
	rc = 0;
out:
	json_object_put(arr);
	PQclear(res);
	return rc;
}

int
memory_save(struct db *db, const char *agent_id, const char *session_id,
    const char *execution_id, const char *node_id, json_object *turn, char *err,
    size_t errlen)
{
	if (db_exec(db, SQL_MEMORY_SAVE, 5, (const char *[]){ agent_id, session_id, execution_id,
	    node_id, jsonh_str(turn) }, NULL) != DB_OK) {
		snprintf(err, errlen, "cannot write the conversation memory");
		return -1;
	}
	return 0;
}
