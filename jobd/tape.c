/* tape.c: deterministic replay's recordings (see tape.h): request keys, the original's
 * recording of a replay, and each attempt's playing and noting of exchanges. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "buf.h"
#include "crypto.h"
#include "jsonh.h"
#include "tape.h"
#include "xalloc.h"

void
tape_key(const char *kind, const void *material, size_t len, char out[TAPE_KEY_LEN + 1])
{
	unsigned char	 md[CRYPTO_SHA256_LEN];
	unsigned int	 mdlen = 0;
	EVP_MD_CTX	*ctx = EVP_MD_CTX_new();

	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, kind, strlen(kind) + 1) != 1 ||
	    EVP_DigestUpdate(ctx, material, len) != 1 ||
	    EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen != sizeof(md))
		memset(md, 0, sizeof(md));
	EVP_MD_CTX_free(ctx);
	crypto_hex(md, sizeof(md), out);
}

void
tape_keyf(const char *kind, char out[TAPE_KEY_LEN + 1], const char *fmt, ...)
{
	struct buf	 b;
	va_list		 ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	tape_key(kind, b.data != NULL ? b.data : "", b.len, out);
	buf_clear(&b);
}

void
tape_init(struct tape *t, json_object *rows)
{
	json_object	*row, *node, *ex, *x, *resp;
	const char	*id;
	size_t		 i, j;

	t->nodes = jsonh_new_object();
	for (i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if ((id = jsonh_get_string(row, "node_id")) == NULL)
			continue;
		node = jsonh_new_object();
		json_object_object_add(node, "status",
		    json_object_get(json_object_object_get(row, "status")));
		json_object_object_add(node, "output",
		    json_object_get(json_object_object_get(row, "output")));
		json_object_object_add(node, "error",
		    json_object_get(json_object_object_get(row, "error")));
		ex = jsonh_new_array();
		x = jsonh_get_typed(row, "exchanges", json_type_array);
		for (j = 0; x != NULL && j < json_object_array_length(x); j++) {
			json_object *e = json_object_array_get_idx(x, j), *c;

			if (jsonh_get_string(e, "kind") == NULL || jsonh_get_string(e, "key") == NULL)
				continue;
			c = jsonh_new_object();
			json_object_object_add(c, "kind",
			    json_object_get(json_object_object_get(e, "kind")));
			json_object_object_add(c, "key",
			    json_object_get(json_object_object_get(e, "key")));
			/* A node answered as a whole: its answer is the attempt's outcome. */
			if (json_object_object_get_ex(e, "response", &resp))
				resp = json_object_get(resp);
			else {
				resp = jsonh_new_object();
				json_object_object_add(resp, "output", json_object_get(
				    json_object_object_get(row, "output")));
				json_object_object_add(resp, "error", json_object_get(
				    json_object_object_get(row, "error")));
			}
			json_object_object_add(c, "response", resp);
			json_object_array_add(ex, c);
		}
		json_object_object_add(node, "exchanges", ex);
		json_object_object_add(t->nodes, id, node);
	}
}

void
tape_clear(struct tape *t)
{
	if (t == NULL)
		return;
	json_object_put(t->nodes);
	t->nodes = NULL;
}

json_object *
tape_node(const struct tape *t, const char *node_id)
{
	json_object	*n;

	if (t == NULL || t->nodes == NULL || !json_object_object_get_ex(t->nodes, node_id, &n))
		return NULL;
	return n;
}

void
tape_deck_init(struct tape_deck *d, const struct tape *t, const char *node_id, bool offline)
{
	json_object	*n = tape_node(t, node_id);

	memset(d, 0, sizeof(*d));
	d->replaying = t != NULL;
	d->offline = t != NULL && offline;
	if (n != NULL && (d->recorded = jsonh_get_typed(n, "exchanges", json_type_array)) !=
	    NULL)
		d->played = xcalloc(json_object_array_length(d->recorded) + 1, 1);
}

void
tape_deck_clear(struct tape_deck *d)
{
	if (d == NULL)
		return;
	free(d->played);
	json_object_put(d->log);
	memset(d, 0, sizeof(*d));
}

/* Appends {kind, key, source, response} to the attempt's log. */
static void
tape_log(struct tape_deck *d, const char *kind, const char *key, bool live,
    json_object *response)
{
	json_object	*e = jsonh_new_object();

	json_object_object_add(e, "kind", jsonh_new_string(kind));
	json_object_object_add(e, "key", jsonh_new_string(key));
	json_object_object_add(e, "source", jsonh_new_string(live ? "live" : "recording"));
	if (response != NULL)
		json_object_object_add(e, "response", json_object_get(response));
	if (d->log == NULL)
		d->log = jsonh_new_array();
	json_object_array_add(d->log, e);
}

bool
tape_play(struct tape_deck *d, const char *kind, const char *key, json_object **response)
{
	json_object	*e;
	size_t		 i;

	*response = NULL;
	if (d == NULL || d->recorded == NULL)
		return false;
	for (i = 0; i < json_object_array_length(d->recorded); i++) {
		e = json_object_array_get_idx(d->recorded, i);
		if (d->played[i] || strcmp(jsonh_get_string(e, "kind"), kind) != 0 ||
		    strcmp(jsonh_get_string(e, "key"), key) != 0)
			continue;
		d->played[i] = 1;
		d->nrecorded++;
		*response = json_object_object_get(e, "response");
		/* The response is noted again, so that a replay of this replay finds it. */
		tape_log(d, kind, key, false, strcmp(kind, TAPE_NODE) == 0 ? NULL : *response);
		return true;
	}
	return false;
}

bool
tape_refuses(const struct tape_deck *d, const char *kind, char *err, size_t errlen)
{
	if (d == NULL || !d->offline)
		return false;
	snprintf(err, errlen, "offline replay: this %s call is not in the recording (its "
	    "request differs from the original's); replay with offline false to call out",
	    kind);
	return true;
}

void
tape_note(struct tape_deck *d, const char *kind, const char *key, json_object *response)
{
	if (d == NULL)
		return;
	d->nlive++;
	tape_log(d, kind, key, true, response);
}

const char *
tape_source(const struct tape_deck *d)
{
	if (d == NULL || !d->replaying)
		return NULL;
	if (d->nlive > 0)
		return "live";
	return d->nrecorded > 0 ? "recording" : "computed";
}
