/* check_tape.c: deterministic replay's recordings (jobd/tape.c): request keys, a recording
 * made from the original's rows, an attempt playing each recorded exchange once, offline
 * refusals, the exchanges an attempt notes, and where its output came from. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"

#include "jsonh.h"
#include "tape.h"

/* The original's rows: "a" made a model call and a tool call; "w" (a sub-workflow) was
 * answered as a whole; "c" computed. */
static json_object *
rows(const char *model_key, const char *tool_key, const char *node_key)
{
	char		 text[2048], err[64];
	json_object	*o = NULL;

	snprintf(text, sizeof(text), "[{\"node_id\":\"a\",\"status\":\"succeeded\","
	    "\"output\":\"hi\",\"error\":null,\"exchanges\":[{\"kind\":\"model\",\"key\":\"%s\","
	    "\"source\":\"live\",\"response\":{\"message\":{\"content\":\"hi\"}}},"
	    "{\"kind\":\"tool\",\"key\":\"%s\",\"source\":\"live\",\"response\":{\"result\":42,"
	    "\"error\":null}},{\"kind\":\"model\",\"key\":\"%s\",\"source\":\"live\","
	    "\"response\":{\"message\":{\"content\":\"again\"}}},{\"key\":\"no kind\"}]},"
	    "{\"node_id\":\"w\",\"status\":\"failed\",\"output\":null,\"error\":\"child failed\","
	    "\"exchanges\":[{\"kind\":\"node\",\"key\":\"%s\",\"source\":\"live\"}]},"
	    "{\"node_id\":\"c\",\"status\":\"succeeded\",\"output\":1,\"exchanges\":null}]",
	    model_key, tool_key, model_key, node_key);
	ck_assert_int_eq(jsonh_parse(text, strlen(text), &o, err, sizeof(err)), 0);
	return o;
}

START_TEST(test_keys)
{
	char	 a[TAPE_KEY_LEN + 1], b[TAPE_KEY_LEN + 1], c[TAPE_KEY_LEN + 1];

	tape_key(TAPE_MODEL, "body", 4, a);
	tape_key(TAPE_MODEL, "body", 4, b);
	ck_assert_str_eq(a, b);
	ck_assert_uint_eq(strlen(a), TAPE_KEY_LEN);
	/* The kind is part of the key: the same text sent as another call is another key. */
	tape_key(TAPE_HTTP, "body", 4, c);
	ck_assert_str_ne(a, c);
	tape_key(TAPE_MODEL, "bodz", 4, c);
	ck_assert_str_ne(a, c);
	/* Bytes after a NUL count. */
	tape_key(TAPE_MODEL, "bo\0y", 4, a);
	tape_key(TAPE_MODEL, "bo\0z", 4, b);
	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(test_play_once_each)
{
	struct tape	 t;
	struct tape_deck d;
	json_object	*r = rows("mk", "tk", "nk"), *resp;
	char		 err[256];

	tape_init(&t, r);
	json_object_put(r);
	tape_deck_init(&d, &t, "a", true);
	ck_assert(d.replaying && d.offline);
	/* The two recorded calls with one key are answered in order, then no more. */
	ck_assert(tape_play(&d, TAPE_MODEL, "mk", &resp));
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(resp, "message"), "content"),
	    "hi");
	ck_assert(tape_play(&d, TAPE_TOOL, "tk", &resp));
	ck_assert_int_eq(json_object_get_int(json_object_object_get(resp, "result")), 42);
	ck_assert(tape_play(&d, TAPE_MODEL, "mk", &resp));
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(resp, "message"), "content"),
	    "again");
	ck_assert(!tape_play(&d, TAPE_MODEL, "mk", &resp));
	ck_assert_ptr_null(resp);
	/* A key of another kind does not answer. */
	ck_assert(!tape_play(&d, TAPE_HTTP, "tk", &resp));
	ck_assert(tape_refuses(&d, TAPE_HTTP, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "offline replay: this http call is not in the "
	    "recording"));
	ck_assert_str_eq(tape_source(&d), "recording");
	/* What was played is noted again, so that a replay of the replay finds it. */
	ck_assert_uint_eq(json_object_array_length(d.log), 3);
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(d.log, 0), "source"),
	    "recording");
	ck_assert_ptr_nonnull(json_object_object_get(json_object_array_get_idx(d.log, 1),
	    "response"));
	/* A new attempt plays the recording from the start. */
	tape_deck_clear(&d);
	tape_deck_init(&d, &t, "a", false);
	ck_assert(tape_play(&d, TAPE_MODEL, "mk", &resp));
	ck_assert(!tape_play(&d, TAPE_MODEL, "other", &resp));
	ck_assert(!tape_refuses(&d, TAPE_MODEL, err, sizeof(err)));
	tape_note(&d, TAPE_MODEL, "other", NULL);
	ck_assert_str_eq(tape_source(&d), "live");
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(d.log, 1), "source"),
	    "live");
	tape_deck_clear(&d);
	tape_clear(&t);
}
END_TEST

/* A node answered as a whole is answered with its row's outcome. */
START_TEST(test_whole_node)
{
	struct tape	 t;
	struct tape_deck d;
	json_object	*r = rows("mk", "tk", "nk"), *resp;

	tape_init(&t, r);
	json_object_put(r);
	tape_deck_init(&d, &t, "w", true);
	ck_assert(tape_play(&d, TAPE_NODE, "nk", &resp));
	ck_assert_str_eq(jsonh_get_string(resp, "error"), "child failed");
	ck_assert(json_object_object_get_ex(resp, "output", NULL));
	/* Its note leaves the response out: it is the step's output again. */
	ck_assert(!json_object_object_get_ex(json_object_array_get_idx(d.log, 0), "response",
	    NULL));
	tape_deck_clear(&d);
	/* A node without exchanges, or not in the recording, only computes. */
	tape_deck_init(&d, &t, "c", true);
	ck_assert(!tape_play(&d, TAPE_NODE, "nk", &resp));
	ck_assert_str_eq(tape_source(&d), "computed");
	tape_deck_clear(&d);
	tape_deck_init(&d, &t, "nowhere", true);
	ck_assert(!tape_play(&d, TAPE_MODEL, "mk", &resp));
	tape_deck_clear(&d);
	ck_assert_ptr_null(tape_node(&t, "nowhere"));
	ck_assert_str_eq(jsonh_get_string(tape_node(&t, "w"), "status"), "failed");
	tape_clear(&t);
}
END_TEST

/* A run that is no replay plays nothing, refuses nothing, and notes every call. */
START_TEST(test_no_replay)
{
	struct tape_deck d;
	json_object	*resp, *answer = json_object_new_string("ok");
	char		 err[64];

	tape_deck_init(&d, NULL, "a", true);
	ck_assert(!d.replaying && !d.offline);
	ck_assert(!tape_play(&d, TAPE_MODEL, "mk", &resp));
	ck_assert(!tape_refuses(&d, TAPE_MODEL, err, sizeof(err)));
	tape_note(&d, TAPE_MODEL, "mk", answer);
	json_object_put(answer);
	ck_assert_ptr_null(tape_source(&d));
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(d.log, 0), "response"),
	    "ok");
	tape_deck_clear(&d);
	/* NULL decks (a node run outside an engine step) are harmless. */
	ck_assert(!tape_play(NULL, TAPE_MODEL, "mk", &resp));
	ck_assert(!tape_refuses(NULL, TAPE_MODEL, err, sizeof(err)));
	tape_note(NULL, TAPE_MODEL, "mk", NULL);
	ck_assert_ptr_null(tape_source(NULL));
	tape_deck_clear(NULL);
	tape_clear(NULL);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("tape");
	TCase	*tc = tcase_create("tape");

	tcase_add_test(tc, test_keys);
	tcase_add_test(tc, test_play_once_each);
	tcase_add_test(tc, test_whole_node);
	tcase_add_test(tc, test_no_replay);
	suite_add_tcase(s, tc);
	return check_run(s);
}
