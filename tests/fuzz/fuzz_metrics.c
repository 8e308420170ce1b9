/* fuzz_metrics.c: fuzz harness of metrics_snapshot_read (shared/metrics.c), which reads the
 * snapshots jobd instances publish in Redis: the bytes as they are, and after a header of
 * the current layout (so that the body's lines are explored). */
#include "config.h"

#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "metrics.h"
#include "xalloc.h"

/* Reads "text"; an accepted snapshot renders the same once written back and read again. */
static void
read_one(const char *text)
{
	struct metrics		*m = metrics_new(1), *again;
	struct metrics_source	 src = { MS_JOBD, NULL, "jobd=\"f\"" };
	struct buf		 snap, r1, r2;

	if (metrics_snapshot_read(m, text) < 0) {
		metrics_free(m);
		return;
	}
	buf_init(&snap);
	buf_init(&r1);
	buf_init(&r2);
	metrics_snapshot(&snap, m, 1);
	again = metrics_new(1);
	FUZZ_ASSERT(metrics_snapshot_read(again, snap.data) == 1, "a written snapshot refused");
	src.set = m;
	metrics_render(&r1, &src, 1);
	src.set = again;
	metrics_render(&r2, &src, 1);
	FUZZ_ASSERT(r1.len == r2.len && memcmp(r1.data, r2.data, r1.len) == 0,
	    "a snapshot renders otherwise once written back");
	buf_clear(&snap);
	buf_clear(&r1);
	buf_clear(&r2);
	metrics_free(again);
	metrics_free(m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct metrics	*empty = metrics_new(0);
	struct buf	 text;

	buf_init(&text);
	buf_append(&text, data, size);
	buf_puts(&text, "");
	read_one(text.data);
	buf_reset(&text);
	metrics_snapshot(&text, empty, 1);	/* the header line of this layout */
	buf_append(&text, data, size);
	buf_puts(&text, "");
	read_one(text.data);
	buf_clear(&text);
	metrics_free(empty);
	return 0;
}
