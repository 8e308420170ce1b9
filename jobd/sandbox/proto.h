/* proto.h: the framed protocol between jobd's sandbox pool (jobd/sandbox.c) and a
 * fragent-sandbox helper, over one end of a socketpair each (SOCK_STREAM).
 *
 * Every frame is a 12-byte header followed by "len" payload bytes; integers are
 * little-endian:
 *
 *	u32 len		payload bytes: at most SBX_MAX_REQUEST from the parent,
 *			SBX_MAX_ANSWER from the helper
 *	u32 id		chosen by the parent; an answer carries its request's id
 *	u8  op		SBX_OP_RUN or SBX_OP_PROBE (requests), SBX_OP_OK or SBX_OP_ERR (answers),
 *			SBX_OP_SLOW (a notice from the helper)
 *	u8  flags	in answers: SBX_FLAG_RETIRE, the helper asks to be replaced (its CPU
 *			time or memory passed half its limit); 0 in requests
 *	u16 count	RUN: items, 1..SBX_MAX_ITEMS; OK: results, as many as the items
 *
 * RUN payload: u32 ctx_len, the context (JSON text), then per item: u8 kind
 * (SBX_ITEM_EXPR: a jq program, its first result; SBX_ITEM_TEMPLATE: a {{ }} template),
 * u32 len, the text (no NUL byte).
 * OK payload: per result, u32 len and the value as JSON text.
 * ERR payload: u16 index of the item that failed, then the message (at most
 * SBX_MAX_ERROR bytes, not NUL-terminated).
 * PROBE (count 0, empty payload): the helper tries what its confinement must refuse and
 * answers OK with one result, a JSON object naming each attempt's outcome.
 * SLOW (count 0, empty payload), from the helper: request "id" has used the slow threshold
 * of CPU time evaluating (compiling excluded); the helper has set itself to SCHED_IDLE and
 * will answer with SBX_FLAG_RETIRE. It comes after every answer before it, and before the
 * request's own answer.
 *
 * The helper answers every request, in the order received. A malformed frame ends the
 * helper (exit SBX_EXIT_PROTO); from the helper, it gets the helper killed. */
#ifndef FRAGENT_SBX_PROTO_H
#define FRAGENT_SBX_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define SBX_HEADER		12
#define SBX_MAX_REQUEST		(32u << 20)
#define SBX_MAX_ANSWER		(24u << 20)
#define SBX_MAX_ITEMS		1024
#define SBX_MAX_ERROR		1024
#define SBX_FD			3	/* the helper's end of the socketpair */

enum sbx_op {
	SBX_OP_RUN = 1,
	SBX_OP_PROBE = 2,
	SBX_OP_OK = 0x81,
	SBX_OP_ERR = 0x82,
	SBX_OP_SLOW = 0x83,
};

#define SBX_FLAG_RETIRE		0x01

enum sbx_item_kind {
	SBX_ITEM_EXPR,
	SBX_ITEM_TEMPLATE,
	SBX_ITEM__MAX
};

/* How a helper ends, as its exit status; the parent maps each to a message. */
enum sbx_exit {
	SBX_EXIT_OK = 0,	/* its socket closed: asked to go */
	SBX_EXIT_SETUP = 80,	/* could not confine itself: never runs anything */
	SBX_EXIT_NOMEM = 81,	/* an allocation failed (its memory limit) */
	SBX_EXIT_CRASH = 82,	/* a fatal signal (SIGSEGV, SIGABRT, …) */
	SBX_EXIT_CPU = 83,	/* SIGXCPU: its CPU limit */
	SBX_EXIT_PROTO = 84,	/* a malformed request */
};

/* A frame's header and its payload (borrowed from the buffer it was parsed from). */
struct sbx_frame {
	uint32_t	 id;
	uint8_t		 op;
	uint8_t		 flags;
	uint16_t	 count;
	const uint8_t	*payload;
	uint32_t	 len;
};

/* One item of a RUN request or one result of an OK answer (a slice of the payload). */
struct sbx_slice {
	uint8_t		 kind;		/* items only */
	const uint8_t	*p;
	uint32_t	 len;
};

/* Finds one whole frame at the start of the "len" bytes of "buf". Returns 1 with "f" set and
 * "*used" the frame's size, 0 when more bytes are needed, or -1 when the header is not one
 * this protocol allows for a payload of at most "max" bytes. */
int	sbx_frame_parse(const uint8_t *buf, size_t len, uint32_t max, struct sbx_frame *f,
	    size_t *used);
/* Checks the whole payload of RUN frame "f" (context, exactly f->count items, no NUL byte
 * in an item) and points "ctx" at its context. Returns 0, or -1 when malformed. */
int	sbx_run_parse(const struct sbx_frame *f, struct sbx_slice *ctx);
/* Checks the whole payload of OK frame "f": exactly f->count results. Returns 0 or -1. */
int	sbx_ok_parse(const struct sbx_frame *f);
/* Reads ERR frame "f": the failed item's index into "item", the message into "msg".
 * Returns 0, or -1 when malformed. */
int	sbx_err_parse(const struct sbx_frame *f, uint16_t *item, struct sbx_slice *msg);
/* Reads the next item (RUN) or result (OK) of "f" into "s". "*off" is where it starts in the
 * payload (after the context for RUN: 4 + ctx.len; 0 for OK) and is moved past it. Returns
 * 0, or -1 when malformed. */
int	sbx_next_slice(const struct sbx_frame *f, uint32_t *off, struct sbx_slice *s);
/* Appends a frame header to "b". */
void	sbx_put_header(struct buf *b, uint32_t len, uint32_t id, uint8_t op, uint8_t flags,
	    uint16_t count);
/* Appends a u32 length and "len" bytes of "p" (with "kind" first when "kind" >= 0). */
void	sbx_put_slice(struct buf *b, int kind, const void *p, uint32_t len);
/* Appends a little-endian u16. */
void	sbx_put_u16(struct buf *b, uint16_t v);
/* Rewrites the len, id and count of the header at offset "at" of "b". */
void	sbx_patch_header(struct buf *b, size_t at, uint32_t len, uint32_t id, uint16_t count);

#endif
