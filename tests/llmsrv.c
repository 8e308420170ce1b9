/* llmsrv.c: a scripted LLM vendor for tests: an OpenAI-compatible (/v1/chat/completions) and
 * Anthropic-compatible (/v1/messages) HTTP server on 127.0.0.1 (libevent evhttp) that answers
 * from scenario files and records every request so that tests can assert on what the real
 * client code sent (messages, tools, memory, credentials).
 *
 * Usage: llmsrv [-p port] [-d scenario_dir]   (or LLMSRV_PORT, LLMSRV_SCENARIOS; port 0 picks
 * a free one). It listens on LLMSRV_ADDR (a loopback address, default 127.0.0.1: the
 * integration suites give it one of its own, so that the stack's model allow-list can admit
 * it and nothing else). The first line on stdout is "port <n>" once listening.
 *
 * Scenario selection: the header "X-Scenario: <name>", else the request's "model". The file
 * is <scenario_dir>/<name>.json (name: [A-Za-z0-9_-], ≤ 64), read on every request:
 *   {"select": "sequence" | "turn",   sequence (default): the n-th request of this scenario
 *                                      since the last reset gets responses[n]; turn: the
 *                                      number of assistant messages in the request does (so
 *                                      concurrent conversations each get the right answer)
 *    "responses": [ {                 past the end, the last response repeats
 *       "status": 200,                 HTTP status (non-2xx: body or a vendor-shaped error)
 *       "headers": {"Retry-After": "1"},
 *       "delay_ms": 0,                 before the status line
 *       "text": "…",                   the answer text
 *       "tool_calls": [{"id": "c1", "name": "calculator", "arguments": {…} | "raw text"}],
 *       "chunk_size": 8,               streamed text: characters per chunk (default 8)
 *       "chunk_delay_ms": 0,           pause between streamed chunks
 *       "usage": {"prompt_tokens": 10, "completion_tokens": 5},
 *       "body": "…",                   a raw body instead of a generated one
 *       "malformed": true,             a body / stream chunk that is not valid JSON
 *       "drop_after": 120              close the connection after that many body bytes
 *    } ]}
 * A request with "stream": true gets SSE in the vendor's format, else one JSON body.
 *
 * Control routes: GET /_requests?scenario=<name> → {"requests": [{seq, path, authorization,
 * x_api_key, traceparent, body, client_closed, received_us, first_chunk_us,
 * first_text_us}]} (the wall-clock times, in unix microseconds, at which the request was
 * read, the first piece of the answer's body was sent, and the first piece carrying answer
 * text was sent, if any: bench/ttft.sh compares them with what its client saw);
 * POST /_reset forgets requests and counters (not uploads);
 * POST /_scenario?name=<name> with a script as the body defines or replaces a scenario held
 * in memory (for scripts that name ids known only at run time); GET /_health.
 * Bounds: 64 scenarios (and 64 uploads of ≤ 1 MiB), the last 256 requests of each, request
 * bodies ≤ 4 MiB. */
#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <json-c/json.h>

#define SRV_MAX_SCENARIOS	64
#define SRV_MAX_RECORDS		256
#define SRV_MAX_BODY		(4L << 20)
#define SRV_MAX_FILE		(1L << 20)
#define SRV_MAX_PIECES		4096

struct scenario {
	char		 name[65];
	unsigned long	 count;			/* requests since the last reset */
	json_object	*records[SRV_MAX_RECORDS];	/* ring */
	unsigned long	 nrec;
};

struct srv {
	struct event_base	*base;
	json_object		*uploaded;	/* name -> script, from POST /_scenario */
	struct evhttp		*http;
	const char		*dir;
	struct scenario		 sc[SRV_MAX_SCENARIOS];
	size_t			 nsc;
};

/* One reply being sent piece by piece. */
struct reply {
	struct srv		*srv;
	struct evhttp_request	*req;
	struct evhttp_connection *conn;
	struct event		*timer;
	json_object		*record;	/* holds a reference */
	char			*pieces[SRV_MAX_PIECES];
	size_t			 npieces, next;
	size_t			 first_text;	/* the first piece with answer text, if has_text */
	int			 has_text;
	long			 delay_ms, chunk_delay_ms, drop_after, sent;
	int			 status, started;
};

/* The wall-clock time in unix microseconds. */
static int64_t
now_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static struct scenario *
srv_scenario(struct srv *s, const char *name)
{
	size_t	 i;

	for (i = 0; i < s->nsc; i++)
		if (strcmp(s->sc[i].name, name) == 0)
			return &s->sc[i];
	if (s->nsc == SRV_MAX_SCENARIOS)
		return NULL;
	memset(&s->sc[s->nsc], 0, sizeof(s->sc[0]));
	snprintf(s->sc[s->nsc].name, sizeof(s->sc[0].name), "%s", name);
	return &s->sc[s->nsc++];
}

static int
name_ok(const char *n)
{
	size_t	 len = strlen(n);

	return len > 0 && len <= 64 && strspn(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
	    "VWXYZ0123456789_-") == len;
}

/* An uploaded script of that name, else <dir>/<name>.json. Returns a new reference or NULL. */
static json_object *
load_scenario(const struct srv *s, const char *name)
{
	char		 path[1024], *text;
	FILE		*f;
	size_t		 n;
	json_object	*o;

	if (json_object_object_get_ex(s->uploaded, name, &o))
		return json_object_get(o);
	snprintf(path, sizeof(path), "%s/%s.json", s->dir, name);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if ((text = malloc(SRV_MAX_FILE + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	n = fread(text, 1, SRV_MAX_FILE, f);
	fclose(f);
	text[n] = '\0';
	o = json_tokener_parse(text);
	free(text);
	return o;
}

/* ---------------------------------------------------------------- reply pieces */

static void
piece_add(struct reply *r, const char *s)
{
	if (r->npieces < SRV_MAX_PIECES)
		r->pieces[r->npieces++] = strdup(s);
}

/* Marks the next piece as the first that carries answer text, unless one already is. */
static void
piece_mark_text(struct reply *r)
{
	if (!r->has_text && r->npieces < SRV_MAX_PIECES) {
		r->first_text = r->npieces;
		r->has_text = 1;
	}
}

/* Adds "data: <json>\n\n" (with "event: <ev>\n" first when "ev" is set); puts "o". */
static void
piece_sse(struct reply *r, const char *ev, json_object *o)
{
	struct evbuffer	*b = evbuffer_new();
	size_t		 n;
	char		*s;

	if (ev != NULL)
		evbuffer_add_printf(b, "event: %s\n", ev);
	evbuffer_add_printf(b, "data: %s\n\n", json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));
	n = evbuffer_get_length(b);
	if ((s = malloc(n + 1)) != NULL) {
		evbuffer_remove(b, s, n);
		s[n] = '\0';
		if (r->npieces < SRV_MAX_PIECES)
			r->pieces[r->npieces++] = s;
		else
			free(s);
	}
	evbuffer_free(b);
	json_object_put(o);
}

static json_object *
jstr(const char *s)
{
	return json_object_new_string(s);
}

/* Builds a JSON value from a compact literal (programming errors abort). */
static json_object *
jlit(const char *s)
{
	json_object	*o = json_tokener_parse(s);

	if (o == NULL)
		abort();
	return o;
}

/* The arguments of a scripted call as JSON text. */
static const char *
call_args(json_object *c)
{
	json_object	*a = json_object_object_get(c, "arguments");

	if (a == NULL)
		return "{}";
	if (json_object_is_type(a, json_type_string))
		return json_object_get_string(a);
	return json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
}

static const char *
call_id(json_object *c, size_t i, char *buf, size_t len)
{
	json_object	*id = json_object_object_get(c, "id");

	if (json_object_is_type(id, json_type_string))
		return json_object_get_string(id);
	snprintf(buf, len, "call_%zu", i);
	return buf;
}

static long
jint(json_object *o, const char *k, long def)
{
	json_object	*v = json_object_object_get(o, k);

	return json_object_is_type(v, json_type_int) ? (long)json_object_get_int64(v) : def;
}

static const char *
jget(json_object *o, const char *k)
{
	json_object	*v = json_object_object_get(o, k);

	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* ---------------------------------------------------------------- OpenAI shapes */

static json_object *
oa_chunk(json_object *delta, const char *finish)
{
	json_object	*o = jlit("{\"id\":\"chatcmpl-llmsrv\",\"object\":\"chat.completion.chunk\","
			    "\"model\":\"llmsrv\"}");
	json_object	*ch = json_object_new_object(), *arr = json_object_new_array();

	json_object_object_add(ch, "index", json_object_new_int(0));
	json_object_object_add(ch, "delta", delta);
	json_object_object_add(ch, "finish_reason", finish ? jstr(finish) : NULL);
	json_object_array_add(arr, ch);
	json_object_object_add(o, "choices", arr);
	return o;
}

static void
oa_stream(struct reply *r, json_object *resp, json_object *reqbody)
{
	const char	*text = jget(resp, "text");
	json_object	*calls = json_object_object_get(resp, "tool_calls"), *d, *tc, *c, *u;
	long		 cs = jint(resp, "chunk_size", 8), len, i;
	char		 idb[32];
	size_t		 k;

	piece_sse(r, NULL, oa_chunk(jlit("{\"role\":\"assistant\",\"content\":\"\"}"), NULL));
	len = text ? (long)strlen(text) : 0;
	for (i = 0; i < len; i += cs > 0 ? cs : 8) {
		d = json_object_new_object();
		json_object_object_add(d, "content", json_object_new_string_len(text + i,
		    (int)(len - i < cs ? len - i : cs)));
		piece_mark_text(r);
		piece_sse(r, NULL, oa_chunk(d, NULL));
	}
	for (k = 0; json_object_is_type(calls, json_type_array) &&
	    k < json_object_array_length(calls); k++) {
		const char	*args = call_args(json_object_array_get_idx(calls, k));
		size_t		 half = strlen(args) / 2, part;

		for (part = 0; part < 2; part++) {
			c = json_object_array_get_idx(calls, k);
			tc = json_object_new_object();
			json_object_object_add(tc, "index", json_object_new_int((int)k));
			d = json_object_new_object();
			if (part == 0) {
				json_object_object_add(tc, "id", jstr(call_id(c, k, idb,
				    sizeof(idb))));
				json_object_object_add(tc, "type", jstr("function"));
				json_object_object_add(d, "name", jstr(jget(c, "name") ?
				    jget(c, "name") : "unknown"));
			}
			json_object_object_add(d, "arguments", part == 0 ?
			    json_object_new_string_len(args, (int)half) : jstr(args + half));
			json_object_object_add(tc, "function", d);
			d = json_object_new_object();
			json_object_object_add(d, "tool_calls", json_object_new_array());
			json_object_array_add(json_object_object_get(d, "tool_calls"), tc);
			piece_sse(r, NULL, oa_chunk(d, NULL));
		}
	}
	if (json_object_get_boolean(json_object_object_get(resp, "malformed")))
		piece_add(r, "data: {\"choices\":[{\"delta\":{\"content\":\"x\"\n\n");
	piece_sse(r, NULL, oa_chunk(json_object_new_object(),
	    json_object_is_type(calls, json_type_array) && json_object_array_length(calls) > 0 ?
	    "tool_calls" : "stop"));
	if (json_object_get_boolean(json_object_object_get(json_object_object_get(reqbody,
	    "stream_options"), "include_usage"))) {
		u = jlit("{\"id\":\"chatcmpl-llmsrv\",\"object\":\"chat.completion.chunk\","
		    "\"choices\":[]}");
		d = json_object_new_object();
		json_object_object_add(d, "prompt_tokens", json_object_new_int64(jint(
		    json_object_object_get(resp, "usage"), "prompt_tokens", 10)));
		json_object_object_add(d, "completion_tokens", json_object_new_int64(jint(
		    json_object_object_get(resp, "usage"), "completion_tokens", 5)));
		json_object_object_add(u, "usage", d);
		piece_sse(r, NULL, u);
	}
	piece_add(r, "data: [DONE]\n\n");
}

static void
oa_final(struct reply *r, json_object *resp)
{
	json_object	*o = jlit("{\"id\":\"chatcmpl-llmsrv\",\"object\":\"chat.completion\","
			    "\"model\":\"llmsrv\"}");
	json_object	*msg = jlit("{\"role\":\"assistant\"}"), *ch = json_object_new_object();
	json_object	*calls = json_object_object_get(resp, "tool_calls"), *tcs, *tc, *fn, *u;
	char		 idb[32];
	size_t		 k;

	json_object_object_add(msg, "content", jget(resp, "text") ? jstr(jget(resp, "text")) :
	    NULL);
	if (json_object_is_type(calls, json_type_array) && json_object_array_length(calls)) {
		tcs = json_object_new_array();
		for (k = 0; k < json_object_array_length(calls); k++) {
			json_object *c = json_object_array_get_idx(calls, k);

			tc = json_object_new_object();
			json_object_object_add(tc, "id", jstr(call_id(c, k, idb, sizeof(idb))));
			json_object_object_add(tc, "type", jstr("function"));
			fn = json_object_new_object();
			json_object_object_add(fn, "name", jstr(jget(c, "name") ? jget(c, "name") :
			    "unknown"));
			json_object_object_add(fn, "arguments", jstr(call_args(c)));
			json_object_object_add(tc, "function", fn);
			json_object_array_add(tcs, tc);
		}
		json_object_object_add(msg, "tool_calls", tcs);
	}
	json_object_object_add(ch, "index", json_object_new_int(0));
	json_object_object_add(ch, "message", msg);
	json_object_object_add(ch, "finish_reason", jstr(json_object_object_get(msg,
	    "tool_calls") ? "tool_calls" : "stop"));
	json_object_object_add(o, "choices", json_object_new_array());
	json_object_array_add(json_object_object_get(o, "choices"), ch);
	u = json_object_new_object();
	json_object_object_add(u, "prompt_tokens", json_object_new_int64(jint(
	    json_object_object_get(resp, "usage"), "prompt_tokens", 10)));
	json_object_object_add(u, "completion_tokens", json_object_new_int64(jint(
	    json_object_object_get(resp, "usage"), "completion_tokens", 5)));
	json_object_object_add(o, "usage", u);
	piece_add(r, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

/* ---------------------------------------------------------------- Anthropic shapes */

static json_object *
an_event(const char *type, int index)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "type", jstr(type));
	if (index >= 0)
		json_object_object_add(o, "index", json_object_new_int(index));
	return o;
}

static void
an_stream(struct reply *r, json_object *resp)
{
	const char	*text = jget(resp, "text");
	json_object	*calls = json_object_object_get(resp, "tool_calls"), *o, *b, *u;
	long		 cs = jint(resp, "chunk_size", 8), len, i;
	int		 idx = 0;
	size_t		 k;
	char		 idb[32];
	json_object	*usage = json_object_object_get(resp, "usage");

	o = jlit("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_llmsrv\",\"type\":"
	    "\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"llmsrv\"}}");
	u = json_object_new_object();
	json_object_object_add(u, "input_tokens", json_object_new_int64(jint(usage,
	    "prompt_tokens", 10)));
	json_object_object_add(u, "output_tokens", json_object_new_int(1));
	json_object_object_add(json_object_object_get(o, "message"), "usage", u);
	piece_sse(r, "message_start", o);
	len = text ? (long)strlen(text) : 0;
	if (len > 0) {
		o = an_event("content_block_start", idx);
		json_object_object_add(o, "content_block", jlit("{\"type\":\"text\",\"text\":\"\"}"));
		piece_sse(r, "content_block_start", o);
		for (i = 0; i < len; i += cs > 0 ? cs : 8) {
			o = an_event("content_block_delta", idx);
			b = jlit("{\"type\":\"text_delta\"}");
			json_object_object_add(b, "text", json_object_new_string_len(text + i,
			    (int)(len - i < cs ? len - i : cs)));
			json_object_object_add(o, "delta", b);
			piece_mark_text(r);
			piece_sse(r, "content_block_delta", o);
		}
		piece_sse(r, "content_block_stop", an_event("content_block_stop", idx++));
	}
	piece_add(r, "event: ping\ndata: {\"type\": \"ping\"}\n\n");
	for (k = 0; json_object_is_type(calls, json_type_array) &&
	    k < json_object_array_length(calls); k++, idx++) {
		json_object	*c = json_object_array_get_idx(calls, k);
		const char	*args = call_args(c);
		size_t		 half = strlen(args) / 2;

		o = an_event("content_block_start", idx);
		b = jlit("{\"type\":\"tool_use\",\"input\":{}}");
		json_object_object_add(b, "id", jstr(call_id(c, k, idb, sizeof(idb))));
		json_object_object_add(b, "name", jstr(jget(c, "name") ? jget(c, "name") :
		    "unknown"));
		json_object_object_add(o, "content_block", b);
		piece_sse(r, "content_block_start", o);
		o = an_event("content_block_delta", idx);
		b = jlit("{\"type\":\"input_json_delta\"}");
		json_object_object_add(b, "partial_json", json_object_new_string_len(args,
		    (int)half));
		json_object_object_add(o, "delta", b);
		piece_sse(r, "content_block_delta", o);
		o = an_event("content_block_delta", idx);
		b = jlit("{\"type\":\"input_json_delta\"}");
		json_object_object_add(b, "partial_json", jstr(args + half));
		json_object_object_add(o, "delta", b);
		piece_sse(r, "content_block_delta", o);
		piece_sse(r, "content_block_stop", an_event("content_block_stop", idx));
	}
	if (json_object_get_boolean(json_object_object_get(resp, "malformed")))
		piece_add(r, "event: content_block_delta\ndata: {\"type\":\"content_bl\n\n");
	o = an_event("message_delta", -1);
	b = json_object_new_object();
	json_object_object_add(b, "stop_reason", jstr(json_object_is_type(calls,
	    json_type_array) && json_object_array_length(calls) > 0 ? "tool_use" : "end_turn"));
	json_object_object_add(o, "delta", b);
	u = json_object_new_object();
	json_object_object_add(u, "output_tokens", json_object_new_int64(jint(usage,
	    "completion_tokens", 5)));
	json_object_object_add(o, "usage", u);
	piece_sse(r, "message_delta", o);
	piece_sse(r, "message_stop", an_event("message_stop", -1));
}

static void
an_final(struct reply *r, json_object *resp)
{
	json_object	*o = jlit("{\"id\":\"msg_llmsrv\",\"type\":\"message\",\"role\":"
			    "\"assistant\",\"model\":\"llmsrv\"}");
	json_object	*content = json_object_new_array(), *b, *u;
	json_object	*calls = json_object_object_get(resp, "tool_calls");
	char		 idb[32];
	size_t		 k;

	if (jget(resp, "text") != NULL) {
		b = jlit("{\"type\":\"text\"}");
		json_object_object_add(b, "text", jstr(jget(resp, "text")));
		json_object_array_add(content, b);
	}
	for (k = 0; json_object_is_type(calls, json_type_array) &&
	    k < json_object_array_length(calls); k++) {
		json_object	*c = json_object_array_get_idx(calls, k);

		b = jlit("{\"type\":\"tool_use\"}");
		json_object_object_add(b, "id", jstr(call_id(c, k, idb, sizeof(idb))));
		json_object_object_add(b, "name", jstr(jget(c, "name") ? jget(c, "name") : "x"));
		json_object_object_add(b, "input", json_tokener_parse(call_args(c)));
		json_object_array_add(content, b);
	}
	json_object_object_add(o, "content", content);
	json_object_object_add(o, "stop_reason", jstr(k > 0 ? "tool_use" : "end_turn"));
	u = json_object_new_object();
	json_object_object_add(u, "input_tokens", json_object_new_int64(jint(
	    json_object_object_get(resp, "usage"), "prompt_tokens", 10)));
	json_object_object_add(u, "output_tokens", json_object_new_int64(jint(
	    json_object_object_get(resp, "usage"), "completion_tokens", 5)));
	json_object_object_add(o, "usage", u);
	piece_add(r, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

/* ---------------------------------------------------------------- sending */

static void
reply_free(struct reply *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	if (r->timer != NULL)
		event_free(r->timer);
	for (i = 0; i < r->npieces; i++)
		free(r->pieces[i]);
	json_object_put(r->record);
	free(r);
}

/* The client went away while the reply was in progress. */
static void
reply_on_close(struct evhttp_connection *conn, void *arg)
{
	struct reply	*r = arg;

	(void)conn;
	json_object_object_add(r->record, "client_closed", json_object_new_boolean(1));
	reply_free(r);
}

static void
reply_step(evutil_socket_t fd, short what, void *arg)
{
	struct reply	*r = arg;
	struct evbuffer	*b;
	const char	*p;
	size_t		 n;
	struct timeval	 tv;

	(void)fd;
	(void)what;
	if (!r->started) {
		evhttp_send_reply_start(r->req, r->status, r->status == 200 ? "OK" : "Scripted");
		r->started = 1;
	}
	if (r->next > r->npieces) {
		/* A scripted failure: once what was sent left, close without ending the
		 * chunked body. */
		if (evbuffer_get_length(bufferevent_get_output(
		    evhttp_connection_get_bufferevent(r->conn))) == 0) {
			evhttp_connection_set_closecb(r->conn, NULL, NULL);
			evhttp_connection_free(r->conn);
			reply_free(r);
			return;
		}
		tv.tv_sec = 0;
		tv.tv_usec = 5000;
		evtimer_add(r->timer, &tv);
		return;
	}
	if (r->next == 0)
		json_object_object_add(r->record, "first_chunk_us", json_object_new_int64(now_us()));
	if (r->has_text && r->next == r->first_text)
		json_object_object_add(r->record, "first_text_us", json_object_new_int64(now_us()));
	if (r->next == r->npieces) {
		evhttp_connection_set_closecb(r->conn, NULL, NULL);
		evhttp_send_reply_end(r->req);
		reply_free(r);
		return;
	}
	p = r->pieces[r->next++];
	n = strlen(p);
	if (r->drop_after >= 0 && r->sent + (long)n >= r->drop_after)
		n = (size_t)(r->drop_after - r->sent);
	b = evbuffer_new();
	evbuffer_add(b, p, n);
	evhttp_send_reply_chunk(r->req, b);
	evbuffer_free(b);
	r->sent += (long)n;
	if (r->drop_after >= 0 && r->sent >= r->drop_after) {
		r->next = r->npieces + 1;	/* from now on: wait for the flush, then close */
		json_object_object_add(r->record, "dropped", json_object_new_boolean(1));
	}
	tv.tv_sec = r->chunk_delay_ms / 1000;
	tv.tv_usec = r->chunk_delay_ms % 1000 * 1000;
	evtimer_add(r->timer, &tv);
}

/* ---------------------------------------------------------------- requests */

/* The response entry for this request of "sc". */
static json_object *
pick_response(json_object *script, struct scenario *sc, json_object *body)
{
	json_object	*list = json_object_object_get(script, "responses"), *msgs;
	const char	*sel = jget(script, "select");
	size_t		 n, i, idx;

	if (!json_object_is_type(list, json_type_array) || (n = json_object_array_length(list))
	    == 0)
		return NULL;
	if (sel != NULL && strcmp(sel, "turn") == 0) {
		idx = 0;
		msgs = json_object_object_get(body, "messages");
		for (i = 0; json_object_is_type(msgs, json_type_array) &&
		    i < json_object_array_length(msgs); i++) {
			const char *role = jget(json_object_array_get_idx(msgs, i), "role");

			if (role != NULL && strcmp(role, "assistant") == 0)
				idx++;
		}
	} else
		idx = sc->count - 1;
	return json_object_array_get_idx(list, idx < n ? idx : n - 1);
}

static void
record(struct scenario *sc, struct evhttp_request *req, const char *path, json_object *body,
    struct reply *r)
{
	struct evkeyvalq	*h = evhttp_request_get_input_headers(req);
	json_object		*rec = json_object_new_object();
	const char		*v;

	json_object_object_add(rec, "seq", json_object_new_int64((int64_t)sc->count));
	json_object_object_add(rec, "path", jstr(path));
	v = evhttp_find_header(h, "Authorization");
	json_object_object_add(rec, "authorization", v ? jstr(v) : NULL);
	v = evhttp_find_header(h, "x-api-key");
	json_object_object_add(rec, "x_api_key", v ? jstr(v) : NULL);
	v = evhttp_find_header(h, "traceparent");
	json_object_object_add(rec, "traceparent", v ? jstr(v) : NULL);
	json_object_object_add(rec, "body", json_object_get(body));
	json_object_object_add(rec, "client_closed", json_object_new_boolean(0));
	json_object_object_add(rec, "received_us", json_object_new_int64(now_us()));
	json_object_put(sc->records[sc->nrec % SRV_MAX_RECORDS]);
	sc->records[sc->nrec++ % SRV_MAX_RECORDS] = rec;
	r->record = json_object_get(rec);
}

static void
send_json(struct evhttp_request *req, int status, json_object *o)
{
	struct evbuffer	*b = evbuffer_new();

	evbuffer_add_printf(b, "%s", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
	    "application/json");
	evhttp_send_reply(req, status, status == 200 ? "OK" : "Error", b);
	evbuffer_free(b);
	json_object_put(o);
}

/* Fills "r" with the pieces of "resp" for the vendor at "path". */
static void
build_reply(struct reply *r, json_object *resp, json_object *body, int anthropic)
{
	struct evkeyvalq	*out = evhttp_request_get_output_headers(r->req);
	json_object		*hdrs = json_object_object_get(resp, "headers");
	int			 stream = json_object_get_boolean(json_object_object_get(body,
				    "stream"));

	r->status = (int)jint(resp, "status", 200);
	r->delay_ms = jint(resp, "delay_ms", 0);
	r->chunk_delay_ms = jint(resp, "chunk_delay_ms", 0);
	r->drop_after = jint(resp, "drop_after", -1);
	if (json_object_is_type(hdrs, json_type_object)) {
		json_object_object_foreach(hdrs, k, v)
			evhttp_add_header(out, k, json_object_get_string(v));
	}
	if (jget(resp, "body") != NULL)
		piece_add(r, jget(resp, "body"));
	else if (r->status < 200 || r->status > 299)
		piece_add(r, anthropic ? "{\"type\":\"error\",\"error\":{\"type\":\"api_error\","
		    "\"message\":\"scripted failure\"}}" : "{\"error\":{\"message\":\"scripted "
		    "failure\",\"type\":\"server_error\"}}");
	else if (json_object_get_boolean(json_object_object_get(resp, "malformed")) && !stream)
		piece_add(r, "{\"choices\": [{\"message\": {\"content\": \"trunc");
	else if (stream)
		anthropic ? an_stream(r, resp) : oa_stream(r, resp, body);
	else
		anthropic ? an_final(r, resp) : oa_final(r, resp);
	evhttp_add_header(out, "Content-Type", stream && r->status == 200 &&
	    jget(resp, "body") == NULL ? "text/event-stream" : "application/json");
}

static void
on_model(struct srv *s, struct evhttp_request *req, const char *path, int anthropic)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(req);
	size_t		 n = evbuffer_get_length(in);
	json_object	*body = NULL, *script = NULL, *resp;
	struct scenario	*sc;
	struct reply	*r = NULL;
	const char	*name;
	char		*text;
	struct timeval	 tv;

	if ((text = malloc(n + 1)) == NULL)
		goto bad;
	evbuffer_remove(in, text, n);
	text[n] = '\0';
	body = json_tokener_parse(text);
	free(text);
	if ((name = evhttp_find_header(evhttp_request_get_input_headers(req), "X-Scenario"))
	    == NULL)
		name = jget(body, "model");
	if (name == NULL || !name_ok(name) || (sc = srv_scenario(s, name)) == NULL ||
	    (script = load_scenario(s, name)) == NULL)
		goto bad;
	sc->count++;
	if ((resp = pick_response(script, sc, body)) == NULL ||
	    (r = calloc(1, sizeof(*r))) == NULL)
		goto bad;
	r->srv = s;
	r->req = req;
	r->conn = evhttp_request_get_connection(req);
	record(sc, req, path, body, r);
	build_reply(r, resp, body, anthropic);
	r->timer = evtimer_new(s->base, reply_step, r);
	evhttp_connection_set_closecb(r->conn, reply_on_close, r);
	tv.tv_sec = r->delay_ms / 1000;
	tv.tv_usec = r->delay_ms % 1000 * 1000;
	evtimer_add(r->timer, &tv);
	json_object_put(body);
	json_object_put(script);
	return;
bad:
	json_object_put(body);
	json_object_put(script);
	send_json(req, 404, jlit("{\"error\":{\"message\":\"unknown scenario (X-Scenario or "
	    "model)\",\"type\":\"llmsrv\"}}"));
}

static void
on_requests(struct srv *s, struct evhttp_request *req)
{
	struct evkeyvalq	 q;
	const char		*qs = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	const char		*name;
	json_object		*o = json_object_new_object(), *arr = json_object_new_array();
	struct scenario		*sc = NULL;
	unsigned long		 i, from;
	size_t			 k;

	q.tqh_first = NULL;
	q.tqh_last = &q.tqh_first;
	if (qs != NULL && evhttp_parse_query_str(qs, &q) == 0 &&
	    (name = evhttp_find_header(&q, "scenario")) != NULL)
		for (k = 0; k < s->nsc; k++)
			if (strcmp(s->sc[k].name, name) == 0)
				sc = &s->sc[k];
	if (sc != NULL) {
		from = sc->nrec > SRV_MAX_RECORDS ? sc->nrec - SRV_MAX_RECORDS : 0;
		for (i = from; i < sc->nrec; i++)
			json_object_array_add(arr, json_object_get(sc->records[i %
			    SRV_MAX_RECORDS]));
	}
	evhttp_clear_headers(&q);
	json_object_object_add(o, "requests", arr);
	send_json(req, 200, o);
}

/* POST /_scenario?name=<name> with a script as the body: answers later requests of that
 * scenario (tests whose scripts need ids known only at run time). */
static void
on_upload(struct srv *s, struct evhttp_request *req)
{
	struct evkeyvalq	 q;
	const char		*qs = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	const char		*name = NULL;
	struct evbuffer		*in = evhttp_request_get_input_buffer(req);
	size_t			 n = evbuffer_get_length(in);
	char			*text;
	json_object		*o = NULL;

	q.tqh_first = NULL;
	q.tqh_last = &q.tqh_first;
	if (qs != NULL && evhttp_parse_query_str(qs, &q) == 0)
		name = evhttp_find_header(&q, "name");
	if (name != NULL && name_ok(name) && n <= SRV_MAX_FILE &&
	    json_object_object_length(s->uploaded) < SRV_MAX_SCENARIOS &&
	    (text = malloc(n + 1)) != NULL) {
		evbuffer_remove(in, text, n);
		text[n] = '\0';
		o = json_tokener_parse(text);
		free(text);
	}
	if (o == NULL) {
		evhttp_clear_headers(&q);
		send_json(req, 400, jlit("{\"error\":{\"message\":\"bad scenario upload\"}}"));
		return;
	}
	json_object_object_add(s->uploaded, name, o);
	evhttp_clear_headers(&q);
	send_json(req, 200, jlit("{\"uploaded\":true}"));
}

static void
on_reset(struct srv *s, struct evhttp_request *req)
{
	size_t	 i, k;

	for (i = 0; i < s->nsc; i++)
		for (k = 0; k < SRV_MAX_RECORDS; k++) {
			json_object_put(s->sc[i].records[k]);
			s->sc[i].records[k] = NULL;
		}
	s->nsc = 0;
	send_json(req, 200, jlit("{\"reset\":true}"));
}

static void
on_request(struct evhttp_request *req, void *arg)
{
	struct srv	*s = arg;
	const char	*path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	int		 one = 1;

	/* As vendors' servers do: without it, a reply's second write waits for the client's
	 * delayed ACK (≈40 ms) on a kept-alive connection. */
	setsockopt(bufferevent_getfd(evhttp_connection_get_bufferevent(
	    evhttp_request_get_connection(req))), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));

	if (path == NULL)
		path = "/";
	if (m == EVHTTP_REQ_POST && (strcmp(path, "/v1/chat/completions") == 0 ||
	    strcmp(path, "/chat/completions") == 0))
		on_model(s, req, path, 0);
	else if (m == EVHTTP_REQ_POST && strcmp(path, "/v1/messages") == 0)
		on_model(s, req, path, 1);
	else if (m == EVHTTP_REQ_GET && strcmp(path, "/_requests") == 0)
		on_requests(s, req);
	else if (m == EVHTTP_REQ_POST && strcmp(path, "/_reset") == 0)
		on_reset(s, req);
	else if (m == EVHTTP_REQ_POST && strcmp(path, "/_scenario") == 0)
		on_upload(s, req);
	else if (m == EVHTTP_REQ_GET && strcmp(path, "/_health") == 0)
		send_json(req, 200, jlit("{\"ok\":true}"));
	else
		send_json(req, 404, jlit("{\"error\":{\"message\":\"no such route\"}}"));
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	event_base_loopbreak(arg);
}

int
main(int argc, char *argv[])
{
	struct srv			 s;
	struct evhttp_bound_socket	*bs;
	struct event			*sigterm, *sigint;
	struct sockaddr_storage		 ss;
	ev_socklen_t			 sl = sizeof(ss);
	const char			*port = getenv("LLMSRV_PORT");
	const char			*addr = getenv("LLMSRV_ADDR");
	int				 ch, p;
	size_t				 i, k;

	memset(&s, 0, sizeof(s));
	s.dir = getenv("LLMSRV_SCENARIOS") ? getenv("LLMSRV_SCENARIOS") : "tests/llm-scenarios";
	s.uploaded = json_object_new_object();
	while ((ch = getopt(argc, argv, "p:d:")) != -1) {
		if (ch == 'p')
			port = optarg;
		else if (ch == 'd')
			s.dir = optarg;
		else {
			fprintf(stderr, "usage: llmsrv [-p port] [-d scenario_dir]\n");
			return 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	if ((s.base = event_base_new()) == NULL || (s.http = evhttp_new(s.base)) == NULL)
		return 1;
	evhttp_set_max_body_size(s.http, SRV_MAX_BODY);
	evhttp_set_gencb(s.http, on_request, &s);
	if (addr == NULL || addr[0] == '\0')
		addr = "127.0.0.1";
	if ((bs = evhttp_bind_socket_with_handle(s.http, addr, (ev_uint16_t)(port ?
	    atoi(port) : 0))) == NULL) {
		fprintf(stderr, "llmsrv: cannot listen on %s:%s\n", addr, port ? port : "0");
		return 1;
	}
	getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&ss, &sl);
	p = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	printf("port %d\n", p);
	fflush(stdout);
	sigterm = evsignal_new(s.base, SIGTERM, on_signal, s.base);
	sigint = evsignal_new(s.base, SIGINT, on_signal, s.base);
	evsignal_add(sigterm, NULL);
	evsignal_add(sigint, NULL);
	event_base_dispatch(s.base);
	for (i = 0; i < s.nsc; i++)
		for (k = 0; k < SRV_MAX_RECORDS; k++)
			json_object_put(s.sc[i].records[k]);
	json_object_put(s.uploaded);
	event_free(sigterm);
	event_free(sigint);
	evhttp_free(s.http);
	event_base_free(s.base);
	return 0;
}
