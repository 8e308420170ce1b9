/* fuzz_hook_request.c: fuzz harness of the public webhook route's request handling
 * (jobd/hook_req.c): the path's token, the method list, the caller's authentication under
 * each mode, the run's input made from the request, and a sync answer made from results.
 * Input: one flags byte (bits 0-1 the auth mode, 2-4 the content type), then path, query,
 * a header line "Name: value", the secret header, the timestamp, the signature and the
 * results JSON separated by newlines, then the body (the rest, NULs included).
 * fuzz-dict: json */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "fuzz.h"
#include "hook_req.h"
#include "jsonh.h"
#include "utf8.h"

#define FUZZ_NOW	1700000000
#define FUZZ_DEF	"{\"nodes\":[{\"id\":\"r\",\"type\":\"respond\"},{\"id\":\"out\"," \
	"\"type\":\"output\"}]}"

static const char *const fuzz_ctypes[] = {
	NULL, "application/json", "application/x-www-form-urlencoded", "text/plain",
	"application/octet-stream", "application/vnd.x+json; charset=utf-8", "", "multipart/x",
};

/* Cuts the next newline-terminated field off "*p" ("" when none is left). */
static char *
fuzz_field(char **p, char *end)
{
	char	*f = *p, *nl;

	if (f >= end)
		return end;
	if ((nl = memchr(f, '\n', (size_t)(end - f))) == NULL)
		nl = end;
	*nl = '\0';
	*p = nl < end ? nl + 1 : end;
	return f;
}

/* Every string of the input and the answer is storable or sendable. */
static void
fuzz_check_answer(const struct hook_answer *a)
{
	FUZZ_ASSERT(a->status >= 100 && a->status <= 599, "status out of range");
	FUZZ_ASSERT(a->body != NULL && strlen(a->body) <= a->len, "body");
	json_object_object_foreach(a->headers, k, v) {
		const char	*s = json_object_get_string(v);
		size_t		 i;

		FUZZ_ASSERT(strcasecmp(k, "set-cookie") != 0 &&
		    strcasecmp(k, "content-security-policy") != 0, "refused header kept");
		for (i = 0; s[i] != '\0'; i++)
			FUZZ_ASSERT(s[i] != '\r' && s[i] != '\n', "header value with CR/LF");
		for (i = 0; k[i] != '\0'; i++)
			FUZZ_ASSERT(k[i] > ' ' && k[i] != ':', "header name");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evkeyvalq	 h;
	struct hook_cred	 cred;
	struct hook_answer	 a;
	json_object		*in, *def, *res;
	char			*s, *p, *end, *path, *query, *line, *colon, token[WEBHOOK_TOKEN_LEN + 1];
	char			 err[256];
	unsigned char		 flags;
	int			 st = 0;

	if (size < 1 || (s = malloc(size)) == NULL)
		return 0;
	flags = data[0];
	memcpy(s, data + 1, size - 1);
	p = s;
	end = s + size - 1;
	*end = '\0';		/* the fields end there, and an absent one is "" */
	path = fuzz_field(&p, end);
	query = fuzz_field(&p, end);
	line = fuzz_field(&p, end);
	cred.secret = fuzz_field(&p, end);
	cred.timestamp = fuzz_field(&p, end);
	cred.signature = fuzz_field(&p, end);
	res = json_tokener_parse(fuzz_field(&p, end));
	if (hook_token(path, token) == 0)
		FUZZ_ASSERT(strlen(token) == WEBHOOK_TOKEN_LEN, "token length");
	(void)hook_method_allowed(query, "POST");
	(void)hook_auth_check((enum hook_auth)(flags & 3) > HOOK_AUTH_HMAC ? HOOK_AUTH_HMAC :
	    (enum hook_auth)(flags & 3), "whs_fuzz", &cred, p, (size_t)(end - p), FUZZ_NOW, 300);
	TAILQ_INIT(&h);
	if ((colon = strchr(line, ':')) != NULL) {
		*colon = '\0';
		evhttp_add_header(&h, line, colon + 1 + (colon[1] == ' '));
	}
	if (fuzz_ctypes[(flags >> 2) & 7] != NULL)
		evhttp_add_header(&h, "Content-Type", fuzz_ctypes[(flags >> 2) & 7]);
	in = hook_input("POST", path, query, &h, p, (size_t)(end - p), &st, err, sizeof(err));
	FUZZ_ASSERT((in == NULL) == (st != 0), "input and status disagree");
	if (in != NULL) {
		FUZZ_ASSERT(jsonh_storable(in), "input not storable");
		json_object_put(in);
	} else
		FUZZ_ASSERT(st == 400 || st == 415, "status");
	evhttp_clear_headers(&h);
	def = json_tokener_parse(FUZZ_DEF);
	hook_answer_make(def, res, &a);
	fuzz_check_answer(&a);
	hook_answer_clear(&a);
	json_object_put(def);
	json_object_put(res);
	free(s);
	return 0;
}
