/* fuzz_sandbox_proto.c: fuzz harness of the sandbox protocol's decoding (jobd/sandbox/
 * proto.c), as both ends use it: the input is a stream of frames; each whole frame is
 * decoded as the helper decodes requests (RUN: context and items) and as jobd decodes
 * answers (OK results parsed as JSON, ERR), then encoded again, which must give the same
 * bytes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "jsonh.h"
#include "sandbox/proto.h"

/* Decodes the slices of RUN or OK frame "f" from "off" and appends them to "b" again. */
static void
fuzz_slices(const struct sbx_frame *f, uint32_t off, struct buf *b)
{
	struct sbx_slice	 s;
	json_object		*v = NULL;
	char			 err[64];
	uint16_t		 i;

	for (i = 0; i < f->count; i++) {
		if (sbx_next_slice(f, &off, &s) == -1)
			abort();	/* the whole-payload check passed: every slice is there */
		if (f->op == SBX_OP_OK && jsonh_parse((const char *)s.p, s.len, &v, err,
		    sizeof(err)) == 0)
			json_object_put(v);
		sbx_put_slice(b, f->op == SBX_OP_RUN ? s.kind : -1, s.p, s.len);
	}
}

/* Decodes frame "f" (its bytes [raw, raw + n)) and checks the round trip. */
static void
fuzz_frame(const struct sbx_frame *f, const uint8_t *raw, size_t n)
{
	struct sbx_slice	 ctx, msg;
	struct buf		 b;
	uint16_t		 item;
	int			 ok = 0;

	buf_init(&b);
	sbx_put_header(&b, f->len, f->id, f->op, f->flags, f->count);
	switch (f->op) {
	case SBX_OP_RUN:
		if ((ok = sbx_run_parse(f, &ctx) == 0)) {
			sbx_put_slice(&b, -1, ctx.p, ctx.len);
			fuzz_slices(f, 4 + ctx.len, &b);
		}
		break;
	case SBX_OP_OK:
		if ((ok = sbx_ok_parse(f) == 0))
			fuzz_slices(f, 0, &b);
		break;
	case SBX_OP_ERR:
		if ((ok = sbx_err_parse(f, &item, &msg) == 0)) {
			sbx_put_u16(&b, item);
			buf_append(&b, msg.p, msg.len);
		}
		break;
	default:
		ok = 1;		/* PROBE: no payload */
		break;
	}
	if (ok && (b.len != n || memcmp(b.data, raw, n) != 0))
		abort();
	buf_clear(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sbx_frame	 f;
	size_t			 off = 0, used;

	while (off < size && sbx_frame_parse(data + off, size - off, SBX_MAX_REQUEST, &f,
	    &used) == 1) {
		fuzz_frame(&f, data + off, used);
		off += used;
	}
	return 0;
}
