/* llm_cases.h: what the provider suites (check_llm_openai, check_llm_anthropic) share: a
 * stream case (a vendor's event stream and the reply it must give), feeding a stream to a
 * provider cut where asked, checking the reply, the runs every case goes through (whole,
 * split into two reads at every byte, byte by byte), and parsing expected JSON. */
#ifndef FRAGENT_LLM_CASES_H
#define FRAGENT_LLM_CASES_H

#include <stddef.h>

#include <json-c/json.h>

#include "llm/llm.h"

struct llm_stream_case {
	const char	*name;
	const char	*sse;		/* the vendor's event stream */
	int		 ok;		/* 0: the stream must be refused (with a message) */
	const char	*text;
	size_t		 ncalls;
	const char	*call0;		/* "name arguments" of the first tool call, or NULL */
	const char	*call1;
	enum llm_finish	 finish;
	long		 prompt, completion;
	int		 done;		/* the stream said it ended */
};

/* Feeds "sse" to reply "r" of provider "p" in pieces cut at "cuts" (ascending,
 * 0-terminated; NULL: one piece), then finishes it. Returns 0, or -1 with "err". */
int	llm_case_feed(const struct llm_provider *p, const char *sse, const size_t *cuts,
	    struct llm_reply *r, char *err, size_t errlen);
/* Asserts reply "r" (feed result "rc", message "err") is what case "t" expects. */
void	llm_case_check(const struct llm_stream_case *t, const struct llm_reply *r, int rc,
	    const char *err);
/* Runs case "t" on provider "p" whole, split into two reads at every byte, and byte by
 * byte: every run must give the same reply. */
void	llm_case_run_all_cuts(const struct llm_provider *p, const struct llm_stream_case *t);

/* Parses the JSON text constant "s" (asserting it is JSON). Returns a new reference. */
json_object *llm_case_parse(const char *s);

#endif
