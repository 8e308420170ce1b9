/* trace.h: distributed tracing shared by the API and jobd: W3C trace context (the
 * `traceparent` header, version 00), spans as plain records, and their encoding as
 * OpenTelemetry's OTLP/HTTP JSON (resourceSpans → scopeSpans → spans). Exporting is the
 * daemons' business (fcgi/tracing.c hands spans to jobd, jobd/otlp.c sends them). */
#ifndef FRAGENT_TRACE_H
#define FRAGENT_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#define TRACE_ID_HEX		32	/* hex digits of a trace id */
#define TRACE_SPAN_HEX		16	/* hex digits of a span id */
#define TRACE_PARENT_LEN	55	/* "00-" trace "-" span "-" flags */
#define TRACE_PARENT_SIZE	(TRACE_PARENT_LEN + 1)
#define TRACE_HEADER_MAX	512	/* longest traceparent header looked at */
#define TRACE_NAME_MAX		128	/* bytes of a span's name, NUL included */
#define TRACE_VALUE_MAX		256	/* bytes of a string attribute, NUL included */
#define TRACE_ATTRS_MAX		8	/* attributes of one span */
#define TRACE_FLAG_SAMPLED	0x01
#define TRACE_SPANS_KEY		"fragent:spans"	/* Redis list of the API's finished spans */
#define TRACE_SPANS_CAP		10000		/* longest that list is kept */

/* A position in a trace: the trace and the span whose children come next. Ids are lower-case
 * hex, NUL-terminated; an empty trace_id means no context. */
struct trace_ctx {
	char		 trace_id[TRACE_ID_HEX + 1];
	char		 span_id[TRACE_SPAN_HEX + 1];
	unsigned	 flags;
};

/* OTLP's SpanKind values. */
enum trace_kind {
	TRACE_KIND_INTERNAL = 1,
	TRACE_KIND_SERVER = 2,
	TRACE_KIND_CLIENT = 3,
};

/* OTLP's status codes. */
enum trace_status {
	TRACE_STATUS_UNSET = 0,
	TRACE_STATUS_OK = 1,
	TRACE_STATUS_ERROR = 2,
};

struct trace_attr {
	const char	*key;			/* a string literal (static storage) */
	bool		 is_int;
	long long	 i;
	char		 s[TRACE_VALUE_MAX];
};

/* One span: its own position (ctx.span_id), its parent ("" for a root), name, kind, times in
 * Unix nanoseconds, status and a few attributes. Plain storage: no cleanup needed. */
struct trace_span {
	struct trace_ctx	 ctx;
	char			 parent_id[TRACE_SPAN_HEX + 1];
	char			 name[TRACE_NAME_MAX];
	enum trace_kind		 kind;
	uint64_t		 start_ns;
	uint64_t		 end_ns;
	enum trace_status	 status;
	char			 message[TRACE_VALUE_MAX];	/* status message ("" none) */
	struct trace_attr	 attrs[TRACE_ATTRS_MAX];
	size_t			 nattrs;
};

/* Parses header value "s" (NULL: absent) as a W3C traceparent into "out": version 00 exactly
 * 55 characters; a later version (not ff) at least 55 with a "-" after them; lower-case hex
 * only; neither id all zeros. Returns 0, or -1 (out emptied) when it is not one: the caller
 * then starts a new trace, as the specification says. */
int		 trace_parse(const char *s, struct trace_ctx *out);
/* Writes "c" as a version 00 traceparent into "out". Returns 0, or -1 when "c" is empty. */
int		 trace_format(const struct trace_ctx *c, char out[TRACE_PARENT_SIZE]);
/* Whether "c" holds a context. */
bool		 trace_ctx_valid(const struct trace_ctx *c);
/* Fills "out" with a new random span id (the CSPRNG of shared/crypto.c). Returns 0 or -1. */
int		 trace_span_id_new(char out[TRACE_SPAN_HEX + 1]);
/* Fills "out" with a new random trace id, never all zeros. Returns 0 or -1. */
int		 trace_id_new(char out[TRACE_ID_HEX + 1]);
/* The current time in Unix nanoseconds. */
uint64_t	 trace_now_ns(void);

/* Starts span "s" named "name" (cut at TRACE_NAME_MAX - 1 bytes) of "kind" as a child of
 * "parent", or as the root of a new trace when "parent" is NULL or empty; a new span id,
 * the start time now. Returns 0, or -1 when no random id could be made. */
int		 trace_span_start(struct trace_span *s, const struct trace_ctx *parent,
		    const char *name, enum trace_kind kind);
/* Ends "s" now with "status" and "message" (NULL: none; cut to fit). */
void		 trace_span_end(struct trace_span *s, enum trace_status status,
		    const char *message);
/* Adds a string attribute ("key" a literal; "value" cut to fit; NULL is skipped) or an
 * integer one; beyond TRACE_ATTRS_MAX they are dropped. */
void		 trace_span_attr_str(struct trace_span *s, const char *key, const char *value);
void		 trace_span_attr_int(struct trace_span *s, const char *key, long long value);

/* "s" as an OTLP JSON span object (a new reference). */
json_object	*trace_span_json(const struct trace_span *s);
/* Appends to "resource_spans" (an array) one resourceSpans member for service "service" with
 * "spans" (an array of span objects; the reference is taken). */
void		 trace_resource_add(json_object *resource_spans, const char *service,
		    json_object *spans);
/* A new OTLP export request {"resourceSpans": resource_spans} (the reference is taken). */
json_object	*trace_export_request(json_object *resource_spans);

#endif
