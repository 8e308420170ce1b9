/* trace.c: W3C trace context, span records and their OTLP/HTTP JSON encoding (see trace.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "jsonh.h"
#include "trace.h"

static const char HEX[] = "0123456789abcdef";

/* Whether the "n" bytes at "s" are lower-case hex digits, and not all zeros when "nonzero". */
static bool
trace_hex(const char *s, size_t n, bool nonzero)
{
	bool	 zero = true;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
		if (s[i] != '0')
			zero = false;
	}
	return !(nonzero && zero);
}

int
trace_parse(const char *s, struct trace_ctx *out)
{
	size_t	 len;

	memset(out, 0, sizeof(*out));
	if (s == NULL)
		return -1;
	len = strnlen(s, TRACE_HEADER_MAX + 1);
	if (len < TRACE_PARENT_LEN || len > TRACE_HEADER_MAX)
		return -1;
	if (!trace_hex(s, 2, false) || strncmp(s, "ff", 2) == 0)
		return -1;
	/* Version 00 is exactly 55 characters; a later one may append "-" and more. */
	if (strncmp(s, "00", 2) == 0 ? len != TRACE_PARENT_LEN :
	    len > TRACE_PARENT_LEN && s[TRACE_PARENT_LEN] != '-')
		return -1;
	if (s[2] != '-' || s[35] != '-' || s[52] != '-')
		return -1;
	if (!trace_hex(s + 3, TRACE_ID_HEX, true) || !trace_hex(s + 36, TRACE_SPAN_HEX, true) ||
	    !trace_hex(s + 53, 2, false))
		return -1;
	memcpy(out->trace_id, s + 3, TRACE_ID_HEX);
	memcpy(out->span_id, s + 36, TRACE_SPAN_HEX);
	out->flags = (unsigned)(strchr(HEX, s[53]) - HEX) * 16 + (unsigned)(strchr(HEX, s[54]) - HEX);
	return 0;
}

bool
trace_ctx_valid(const struct trace_ctx *c)
{
	return c != NULL && strlen(c->trace_id) == TRACE_ID_HEX &&
	    strlen(c->span_id) == TRACE_SPAN_HEX;
}

int
trace_format(const struct trace_ctx *c, char out[TRACE_PARENT_SIZE])
{
	out[0] = '\0';
	if (!trace_ctx_valid(c))
		return -1;
	snprintf(out, TRACE_PARENT_SIZE, "00-%s-%s-%02x", c->trace_id, c->span_id,
	    c->flags & 0xffu);
	return 0;
}

/* Fills "out" with "n" random bytes as 2n hex digits, not all zeros. Returns 0 or -1. */
static int
trace_random_hex(char *out, size_t n)
{
	unsigned char	 b[16];
	size_t		 i;
	int		 tries;

	for (tries = 0; tries < 4; tries++) {
		if (crypto_random(b, n) == -1)
			break;
		for (i = 0; i < n; i++) {
			out[2 * i] = HEX[b[i] >> 4];
			out[2 * i + 1] = HEX[b[i] & 15];
		}
		out[2 * n] = '\0';
		if (trace_hex(out, 2 * n, true))
			return 0;
	}
	out[0] = '\0';
	return -1;
}

int
trace_span_id_new(char out[TRACE_SPAN_HEX + 1])
{
	return trace_random_hex(out, TRACE_SPAN_HEX / 2);
}

int
trace_id_new(char out[TRACE_ID_HEX + 1])
{
	return trace_random_hex(out, TRACE_ID_HEX / 2);
}

uint64_t
trace_now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int
trace_span_start(struct trace_span *s, const struct trace_ctx *parent, const char *name,
    enum trace_kind kind)
{
	memset(s, 0, sizeof(*s));
	if (trace_ctx_valid(parent)) {
		memcpy(s->ctx.trace_id, parent->trace_id, sizeof(s->ctx.trace_id));
		memcpy(s->parent_id, parent->span_id, sizeof(s->parent_id));
		s->ctx.flags = parent->flags;
	} else {
		if (trace_id_new(s->ctx.trace_id) == -1)
			return -1;
		s->ctx.flags = TRACE_FLAG_SAMPLED;
	}
	if (trace_span_id_new(s->ctx.span_id) == -1) {
		s->ctx.trace_id[0] = '\0';
		return -1;
	}
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->kind = kind;
	s->start_ns = trace_now_ns();
	return 0;
}

void
trace_span_end(struct trace_span *s, enum trace_status status, const char *message)
{
	s->end_ns = trace_now_ns();
	if (s->end_ns < s->start_ns)
		s->end_ns = s->start_ns;
	s->status = status;
	snprintf(s->message, sizeof(s->message), "%s", message != NULL ? message : "");
}

void
trace_span_attr_str(struct trace_span *s, const char *key, const char *value)
{
	struct trace_attr	*a;

	if (value == NULL || s->nattrs >= TRACE_ATTRS_MAX)
		return;
	a = &s->attrs[s->nattrs++];
	a->key = key;
	a->is_int = false;
	snprintf(a->s, sizeof(a->s), "%s", value);
}

void
trace_span_attr_int(struct trace_span *s, const char *key, long long value)
{
	struct trace_attr	*a;

	if (s->nattrs >= TRACE_ATTRS_MAX)
		return;
	a = &s->attrs[s->nattrs++];
	a->key = key;
	a->is_int = true;
	a->i = value;
}

/* An OTLP KeyValue {key, value: {stringValue | intValue}}; 64-bit integers are JSON strings
 * in OTLP's JSON mapping. */
static json_object *
trace_kv(const char *key, const char *s, const long long *i)
{
	json_object	*kv = jsonh_new_object(), *v = jsonh_new_object();
	char		 num[32];

	json_object_object_add(kv, "key", jsonh_new_string(key));
	if (i != NULL) {
		snprintf(num, sizeof(num), "%lld", *i);
		json_object_object_add(v, "intValue", jsonh_new_string(num));
	} else
		json_object_object_add(v, "stringValue", jsonh_new_string(s));
	json_object_object_add(kv, "value", v);
	return kv;
}

/* Adds "ns" to "o" as "name": a decimal string (fixed64 in OTLP's JSON mapping). */
static void
trace_add_ns(json_object *o, const char *name, uint64_t ns)
{
	char	 num[32];

	snprintf(num, sizeof(num), "%llu", (unsigned long long)ns);
	json_object_object_add(o, name, jsonh_new_string(num));
}

json_object *
trace_span_json(const struct trace_span *s)
{
	json_object	*o = jsonh_new_object(), *attrs = jsonh_new_array(), *st;
	size_t		 i;

	json_object_object_add(o, "traceId", jsonh_new_string(s->ctx.trace_id));
	json_object_object_add(o, "spanId", jsonh_new_string(s->ctx.span_id));
	if (s->parent_id[0] != '\0')
		json_object_object_add(o, "parentSpanId", jsonh_new_string(s->parent_id));
	json_object_object_add(o, "name", jsonh_new_string(s->name));
	json_object_object_add(o, "kind", jsonh_new_int(s->kind));
	trace_add_ns(o, "startTimeUnixNano", s->start_ns);
	trace_add_ns(o, "endTimeUnixNano", s->end_ns);
	for (i = 0; i < s->nattrs; i++)
		json_object_array_add(attrs, trace_kv(s->attrs[i].key, s->attrs[i].s,
		    s->attrs[i].is_int ? &s->attrs[i].i : NULL));
	json_object_object_add(o, "attributes", attrs);
	st = jsonh_new_object();
	if (s->status != TRACE_STATUS_UNSET)
		json_object_object_add(st, "code", jsonh_new_int(s->status));
	if (s->message[0] != '\0')
		json_object_object_add(st, "message", jsonh_new_string(s->message));
	json_object_object_add(o, "status", st);
	return o;
}

void
trace_resource_add(json_object *resource_spans, const char *service, json_object *spans)
{
	json_object	*rs = jsonh_new_object(), *res = jsonh_new_object();
	json_object	*attrs = jsonh_new_array(), *scopes = jsonh_new_array();
	json_object	*ss = jsonh_new_object(), *scope = jsonh_new_object();

	json_object_array_add(attrs, trace_kv("service.name", service, NULL));
	json_object_object_add(res, "attributes", attrs);
	json_object_object_add(rs, "resource", res);
	json_object_object_add(scope, "name", jsonh_new_string("fragent"));
	json_object_object_add(scope, "version", jsonh_new_string(PACKAGE_VERSION));
	json_object_object_add(ss, "scope", scope);
	json_object_object_add(ss, "spans", spans);
	json_object_array_add(scopes, ss);
	json_object_object_add(rs, "scopeSpans", scopes);
	json_object_array_add(resource_spans, rs);
}

json_object *
trace_export_request(json_object *resource_spans)
{
	json_object	*o = jsonh_new_object();

	json_object_object_add(o, "resourceSpans", resource_spans);
	return o;
}
