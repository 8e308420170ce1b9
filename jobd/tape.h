/* tape.h: deterministic replay's recordings. Every step attempt notes the outbound calls it
 * makes (model calls, HTTP requests, tool calls, memory reads, and the nodes answered from
 * outside the run: sub-workflows, maps, approvals) as exchanges {kind, key, source,
 * response}: "key" is a SHA-256 of the request as sent (credentials and trace headers left
 * out), "response" the answer (left out for a node answered as a whole: the answer is the
 * step's own output). They are stored with the attempt (execution_steps.exchanges).
 *
 * A replay (an execution with replay_of) loads its original's recording: per node, the
 * exchanges, output and status of the original's last attempt. Each attempt of a node then
 * plays its node's exchanges: a call whose kind and key match an exchange not played yet in
 * this attempt is answered from it, without calling out; any other call goes out (and is
 * noted as live), unless the replay is offline, where it is refused. */
#ifndef FRAGENT_TAPE_H
#define FRAGENT_TAPE_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#define TAPE_KEY_LEN	64	/* hex SHA-256 */

/* The kinds of exchanges. */
#define TAPE_MODEL	"model"		/* an LLM call: the provider's URL and request body */
#define TAPE_TOOL	"tool"		/* an agent's tool call: the tool's name and arguments */
#define TAPE_HTTP	"http"		/* the http_request node: method, URL, headers, body */
#define TAPE_MEMORY	"memory"	/* an agent's memory as read: agent, session, window */
#define TAPE_NODE	"node"		/* a node answered as a whole: type, config, input */

/* The recording of one execution: node id -> {status, output, error, exchanges}. */
struct tape {
	json_object	*nodes;
};

/* One attempt's use of the tape, and what it exchanged. */
struct tape_deck {
	json_object	*recorded;	/* borrowed: the original's exchanges of the node, or NULL */
	unsigned char	*played;	/* per recorded exchange: answered in this attempt */
	bool		 replaying;	/* the run is a replay */
	bool		 offline;	/* a call not in the recording is refused */
	json_object	*log;		/* this attempt's exchanges, or NULL: none */
	int		 nlive, nrecorded;
};

/* The key of a request of "kind" whose text is the "len" bytes of "material". */
void		 tape_key(const char *kind, const void *material, size_t len,
		    char out[TAPE_KEY_LEN + 1]);
/* The same for the text made by printf-format "fmt". */
void		 tape_keyf(const char *kind, char out[TAPE_KEY_LEN + 1], const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

/* Makes "t" of "rows", the original's last attempt of each node, as store_ops.recording
 * reads them: [{node_id, status, output, error, exchanges}] (borrowed). */
void		 tape_init(struct tape *t, json_object *rows);
/* Frees what "t" holds; NULL-safe. */
void		 tape_clear(struct tape *t);
/* The original's last attempt of node "node_id": {status, output, error, exchanges}
 * (borrowed), or NULL. */
json_object	*tape_node(const struct tape *t, const char *node_id);

/* Prepares "d" for an attempt of node "node_id" of a run whose recording is "t" (NULL: the
 * run is no replay: every call goes out and is noted). */
void		 tape_deck_init(struct tape_deck *d, const struct tape *t, const char *node_id,
		    bool offline);
/* Frees what "d" holds and leaves it empty; NULL-safe. */
void		 tape_deck_clear(struct tape_deck *d);
/* Looks up a call of "kind" with "key": true when the recording answers it ("*response"
 * borrowed from the recording; may be NULL), noted as played from the recording; false
 * when it must go out (see tape_refuses). "d" may be NULL (no recording). */
bool		 tape_play(struct tape_deck *d, const char *kind, const char *key,
		    json_object **response);
/* Whether a call of "kind" that the recording does not answer must be refused (an offline
 * replay); "err" then says so. */
bool		 tape_refuses(const struct tape_deck *d, const char *kind, char *err,
		    size_t errlen);
/* Notes a call of "kind" with "key" that went out, and its answer "response" (a reference
 * is taken; NULL: the step's own output is the answer). NULL-safe for "d". */
void		 tape_note(struct tape_deck *d, const char *kind, const char *key,
		    json_object *response);
/* Where an attempt's output came from in a replay: "live" when a call went out, "recording"
 * when every call was answered from the recording, "computed" when it made none; NULL when
 * the run is no replay. */
const char	*tape_source(const struct tape_deck *d);

#endif
