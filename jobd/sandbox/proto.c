/* proto.c: encoding and bounded decoding of the sandbox protocol's frames (see proto.h). */
#include "config.h"

#include <string.h>

#include "proto.h"

static uint32_t
sbx_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint16_t
sbx_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void
sbx_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* True when "count", "flags" and "len" fit operation "op". */
static int
sbx_header_valid(uint8_t op, uint8_t flags, uint16_t count, uint32_t len)
{
	switch (op) {
	case SBX_OP_RUN:
		return flags == 0 && count >= 1 && count <= SBX_MAX_ITEMS && len >= 4;
	case SBX_OP_PROBE:
		return flags == 0 && count == 0 && len == 0;
	case SBX_OP_OK:
		return (flags & ~SBX_FLAG_RETIRE) == 0 && count <= SBX_MAX_ITEMS;
	case SBX_OP_ERR:
		return (flags & ~SBX_FLAG_RETIRE) == 0 && count == 0 && len >= 2 &&
		    len <= 2 + SBX_MAX_ERROR;
	case SBX_OP_SLOW:
		return flags == 0 && count == 0 && len == 0;
	default:
		return 0;
	}
}

int
sbx_frame_parse(const uint8_t *buf, size_t len, uint32_t max, struct sbx_frame *f,
    size_t *used)
{
	uint32_t	 plen;

	if (len < SBX_HEADER)
		return 0;
	plen = sbx_u32(buf);
	f->id = sbx_u32(buf + 4);
	f->op = buf[8];
	f->flags = buf[9];
	f->count = sbx_u16(buf + 10);
	if (plen > max || !sbx_header_valid(f->op, f->flags, f->count, plen))
		return -1;
	if (len - SBX_HEADER < plen)
		return 0;
	f->payload = buf + SBX_HEADER;
	f->len = plen;
	*used = SBX_HEADER + (size_t)plen;
	return 1;
}

int
sbx_next_slice(const struct sbx_frame *f, uint32_t *off, struct sbx_slice *s)
{
	uint32_t	 o = *off, n;
	int		 kinded = f->op == SBX_OP_RUN;

	s->kind = 0;
	if (kinded) {
		if (o >= f->len || f->payload[o] >= SBX_ITEM__MAX)
			return -1;
		s->kind = f->payload[o++];
	}
	if (f->len - o < 4)
		return -1;
	n = sbx_u32(f->payload + o);
	o += 4;
	if (n > f->len - o)
		return -1;
	s->p = f->payload + o;
	s->len = n;
	*off = o + n;
	return 0;
}

/* Checks that the payload from "off" holds exactly f->count slices (items without NUL
 * bytes for RUN). Returns 0 or -1. */
static int
sbx_slices_valid(const struct sbx_frame *f, uint32_t off)
{
	struct sbx_slice	 s;
	uint16_t		 i;

	for (i = 0; i < f->count; i++) {
		if (sbx_next_slice(f, &off, &s) == -1)
			return -1;
		if (f->op == SBX_OP_RUN && memchr(s.p, '\0', s.len) != NULL)
			return -1;
	}
	return off == f->len ? 0 : -1;
}

int
sbx_run_parse(const struct sbx_frame *f, struct sbx_slice *ctx)
{
	uint32_t	 n;

	if (f->op != SBX_OP_RUN || f->len < 4)
		return -1;
	n = sbx_u32(f->payload);
	if (n > f->len - 4)
		return -1;
	ctx->kind = 0;
	ctx->p = f->payload + 4;
	ctx->len = n;
	return sbx_slices_valid(f, 4 + n);
}

int
sbx_ok_parse(const struct sbx_frame *f)
{
	return f->op == SBX_OP_OK ? sbx_slices_valid(f, 0) : -1;
}

int
sbx_err_parse(const struct sbx_frame *f, uint16_t *item, struct sbx_slice *msg)
{
	if (f->op != SBX_OP_ERR || f->len < 2 || f->len > 2 + SBX_MAX_ERROR)
		return -1;
	*item = sbx_u16(f->payload);
	msg->kind = 0;
	msg->p = f->payload + 2;
	msg->len = f->len - 2;
	return 0;
}

void
sbx_put_header(struct buf *b, uint32_t len, uint32_t id, uint8_t op, uint8_t flags,
    uint16_t count)
{
	uint8_t	 h[SBX_HEADER];

	sbx_le32(h, len);
	sbx_le32(h + 4, id);
	h[8] = op;
	h[9] = flags;
	h[10] = (uint8_t)count;
	h[11] = (uint8_t)(count >> 8);
	buf_append(b, h, sizeof(h));
}

void
sbx_put_slice(struct buf *b, int kind, const void *p, uint32_t len)
{
	uint8_t	 k = (uint8_t)kind, n[4];

	sbx_le32(n, len);
	if (kind >= 0)
		buf_append(b, &k, 1);
	buf_append(b, n, 4);
	buf_append(b, p, len);
}

void
sbx_put_u16(struct buf *b, uint16_t v)
{
	uint8_t	 n[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	buf_append(b, n, 2);
}

void
sbx_patch_header(struct buf *b, size_t at, uint32_t len, uint32_t id, uint16_t count)
{
	uint8_t	*h = (uint8_t *)b->data + at;

	sbx_le32(h, len);
	sbx_le32(h + 4, id);
	h[10] = (uint8_t)count;
	h[11] = (uint8_t)(count >> 8);
}
