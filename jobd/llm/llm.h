/* llm.h: the provider-neutral model of one LLM call (request, streamed or final reply, tool
 * calls, usage) and the provider vtable. A provider is one file in jobd/llm/ that turns a
 * request into its wire format and its wire format (SSE events or a final body) into an
 * llm_reply. The file also holds the provider's descriptor (shared/providers.h), which its
 * vtable points to; llm_providers is made from Makefile.am's PROVIDER_SRCS, so adding a
 * provider is that one file (and its line in the list).
 *
 * The transcript is a json-c array of canonical messages, the same for every provider:
 *   {"role": "user", "content": "…"}
 *   {"role": "assistant", "content": "…" | null,
 *    "tool_calls": [{"id": "…", "name": "…", "arguments": {…} | "<unparsable text>"}]}
 *   {"role": "tool", "tool_call_id": "…", "name": "…", "content": "…", "is_error": bool}
 * The system prompt travels apart (llm_request.system). */
#ifndef FRAGENT_LLM_H
#define FRAGENT_LLM_H

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "buf.h"
#include "providers.h"

#define LLM_MAX_TOOL_CALLS	32		/* per reply */
#define LLM_MAX_TEXT		(1L << 20)	/* bytes of answer text per reply */
#define LLM_MAX_ARGS		(256L << 10)	/* bytes of one tool call's arguments */
#define LLM_MAX_EVENT		(1L << 20)	/* bytes of one SSE event's data */
#define LLM_MAX_BODY		(8L << 20)	/* bytes of one provider response */
#define LLM_MAX_ID		128
#define LLM_EXCERPT_MAX		160		/* characters of an answer an error quotes */

enum llm_finish {
	LLM_FINISH_NONE,	/* not told (yet) */
	LLM_FINISH_STOP,	/* a final answer */
	LLM_FINISH_TOOL_CALLS,	/* wants tools run */
	LLM_FINISH_LENGTH,	/* cut by max_tokens */
	LLM_FINISH_OTHER,	/* content filter, refusal, … */
	LLM_FINISH__MAX
};

extern const char *const llm_finish_names[LLM_FINISH__MAX];

struct llm_tool_call {
	char		 id[LLM_MAX_ID];
	char		 name[LLM_MAX_ID];
	struct buf	 args;		/* arguments as JSON text, accumulated from fragments */
	int		 block;		/* the provider's index of this call (stream bookkeeping) */
};

struct llm_usage {
	long	 prompt_tokens;
	long	 completion_tokens;
};

/* Called with each piece of answer text as it streams in ("len" bytes, not NUL-terminated). */
typedef void (*llm_delta_fn)(void *arg, const char *text, size_t len);

/* One reply, built incrementally from stream events or at once from a final body. */
struct llm_reply {
	struct buf		 text;
	struct llm_tool_call	 calls[LLM_MAX_TOOL_CALLS];
	size_t			 ncalls;
	struct llm_usage	 usage;
	enum llm_finish		 finish;
	bool			 done;		/* the stream's end marker was seen */
	char			 id[LLM_MAX_ID];
	char			 model[LLM_MAX_ID];
	llm_delta_fn		 on_delta;	/* may be NULL */
	void			*delta_arg;
	/* SSE framing state (llm_sse_feed). */
	struct buf		 line;
	struct buf		 data;
	char			 event[64];
	bool			 skip_lf;	/* the last byte was a CR */
};

/* What the agent loop asks a provider for. Every pointer is borrowed. */
struct llm_request {
	const char	*model;
	const char	*system;	/* NULL: none */
	json_object	*messages;	/* canonical transcript (array) */
	json_object	*tools;		/* array of {name, description, input_schema}, or NULL */
	double		 temperature;
	bool		 has_temperature;
	long		 max_tokens;	/* 0: the provider's default */
	bool		 stream;
	bool		 json_mode;	/* the answer must be a JSON object */
};

struct llm_provider {
	const struct provider_def *def;	/* name, default base URL, … */
	/* Writes the endpoint URL for "base" (no trailing slash needed) into "out". Returns 0, or
	 * -1 when it does not fit. */
	int		(*url)(const char *base, char *out, size_t outlen);
	/* Appends the request headers (authentication with "api_key", which may be NULL or "")
	 * to "*hdrs" (curl_slist_append). */
	void		(*headers)(const char *api_key, struct curl_slist **hdrs);
	/* Writes the JSON body of "rq" into "body". Returns 0, or -1 with a message in "err". */
	int		(*build)(const struct llm_request *rq, struct buf *body, char *err,
			    size_t errlen);
	/* Applies one SSE event ("event" may be "", "data" is "len" bytes) to "r". Returns 0, or
	 * -1 with a message in "err" (the stream is then abandoned). */
	int		(*stream_event)(struct llm_reply *r, const char *event, const char *data,
			    size_t len, char *err, size_t errlen);
	/* Fills "r" from a complete non-streamed body. Returns 0, or -1 with a message. */
	int		(*parse_final)(struct llm_reply *r, const char *body, size_t len,
			    char *err, size_t errlen);
};

/* Defines the vtable llm_<n> of provider "n" (the file's name), pointing to its descriptor
 * provider_def_<n>, with the designated initializers that follow. */
#define LLM_PROVIDER_IMPL(n, ...) \
	const struct llm_provider llm_##n = { .def = &provider_def_##n, __VA_ARGS__ }

#define LLM_PROVIDER_DECL(n, N)	extern const struct llm_provider llm_##n;
DESC_PROVIDERS(LLM_PROVIDER_DECL)
#undef LLM_PROVIDER_DECL

/* Every provider's vtable, indexed by enum provider_kind (llm.c). */
extern const struct llm_provider *const llm_providers[PROVIDER__MAX];

/* The provider called "name", or having it as an alias (provider_lookup), or NULL. */
const struct llm_provider *llm_provider_find(const char *name);

/* Prepares "r" as an empty reply. */
void	llm_reply_init(struct llm_reply *r);
/* Frees what "r" holds (NULL-safe) and leaves it empty. */
void	llm_reply_clear(struct llm_reply *r);
/* Feeds "len" bytes of an event stream (split anywhere; LF, CRLF or CR line ends) to "r",
 * calling "p"'s stream_event once per complete event. Returns 0, or -1 with a message in
 * "err" (an event over LLM_MAX_EVENT or a provider error). */
int	llm_sse_feed(const struct llm_provider *p, struct llm_reply *r, const char *bytes,
	    size_t len, char *err, size_t errlen);
/* Ends the stream: dispatches an event left without its blank line. Returns 0 or -1. */
int	llm_sse_finish(const struct llm_provider *p, struct llm_reply *r, char *err,
	    size_t errlen);

/* For providers: appends "len" bytes of answer text (calls on_delta). Returns 0, or -1 with
 * a message when the reply grew past LLM_MAX_TEXT. */
int	llm_reply_text(struct llm_reply *r, const char *s, size_t len, char *err,
	    size_t errlen);
/* For providers: the tool call whose provider index is "block", created (with "id" and
 * "name", either may be NULL) when new. Returns NULL with a message when there are too many. */
struct llm_tool_call *llm_reply_call(struct llm_reply *r, int block, const char *id,
	    const char *name, char *err, size_t errlen);
/* For providers: appends an argument fragment to "c". Returns 0, or -1 past LLM_MAX_ARGS. */
int	llm_call_args(struct llm_tool_call *c, const char *s, size_t len, char *err,
	    size_t errlen);
/* For providers: reads the counters named "prompt" and "completion" of usage object "u"
 * (ignored unless an object) into r->usage. */
void	llm_reply_usage(struct llm_reply *r, json_object *u, const char *prompt,
	    const char *completion);
/* A provider's finish reason and what it means; tables end with a NULL name. */
struct llm_finish_name {
	const char	*name;
	enum llm_finish	 finish;
};
/* The finish reason "s" in table "t": LLM_FINISH_NONE for NULL, LLM_FINISH_OTHER when not
 * listed. */
enum llm_finish	llm_finish_lookup(const struct llm_finish_name *t, const char *s);
/* For providers: writes request "o" as compact JSON into "body" (replacing what it held). */
void	llm_body_set(struct buf *body, json_object *o);
/* For providers: appends the header "line" to "*hdrs" (curl_slist_append, whose NULL can
 * only mean memory: that aborts). */
void	llm_header_add(struct curl_slist **hdrs, const char *line);
/* For providers: copies a bounded id/name string (NULL gives ""). */
void	llm_copy_id(char *dst, const char *src);

/* The canonical assistant message of "r" (a new reference): its text (null when empty) and
 * its tool calls with arguments parsed when they are JSON (kept as text otherwise), every
 * string storable in PostgreSQL (jsonh_make_storable). */
json_object	*llm_reply_message(const struct llm_reply *r);
/* What an error says when the vendor's body is empty. */
#define LLM_NO_MESSAGE	"(no message)"
/* The provider's error message found in an error body ("error.message", "error" as a string,
 * or "message"; an empty one does not count), else the body itself, as a sanitised excerpt
 * (llm_excerpt, at most LLM_EXCERPT_MAX characters) in "out"; LLM_NO_MESSAGE for an empty
 * body: never an empty text. */
void		 llm_error_text(const char *body, size_t len, char *out, size_t outlen);
/* Writes into "out" (NUL-terminated, at most "outlen" - 1 characters, ending with "..." when
 * cut; excerpts of answers use LLM_EXCERPT_MAX + 1) what a message may quote of the "len"
 * bytes of "s":
 * printable ASCII only (control characters become spaces, other bytes '?'), with
 * "[redacted]" in place of every run of 8 or more characters of "secret" (the whole of a
 * shorter one; NULL: none), of sk- keys and of the values after "Authorization", "Bearer"
 * and api-key words. */
void		 llm_excerpt(const char *s, size_t len, const char *secret, char *out,
		    size_t outlen);

#endif
