// Unit tests for the SSE parser.
import { describe, expect, test } from "vitest";

import { sseInitialState, sseParse, type SseFrame } from "./sse";

/* Feeds "chunks" one by one and collects every frame. */
function feed(chunks: readonly string[], lastEventId = ""): { frames: SseFrame[]; last: string } {
  let state = sseInitialState(lastEventId);
  const frames: SseFrame[] = [];
  for (const c of chunks) {
    const r = sseParse(state, c);
    frames.push(...r.frames);
    state = r.state;
  }
  return { frames, last: state.lastEventId };
}

const cases: ReadonlyArray<{
  name: string;
  chunks: string[];
  frames: SseFrame[];
  last?: string;
}> = [
  {
    name: "one full frame",
    chunks: ['id: 1-0\nevent: node.started\ndata: {"a":1}\n\n'],
    frames: [{ id: "1-0", event: "node.started", data: '{"a":1}' }],
    last: "1-0",
  },
  {
    name: "frame split at every byte",
    chunks: [..."id: 2-0\nevent: x\ndata: hello\n\n"],
    frames: [{ id: "2-0", event: "x", data: "hello" }],
  },
  {
    name: "CRLF and CR line ends, CRLF split across chunks",
    chunks: ["data: a\r", "\ndata: b\r\r", "\n"],
    frames: [{ id: "", event: "message", data: "a\nb" }],
  },
  {
    name: "comments and heartbeats are ignored",
    chunks: [": heartbeat\n\n:ping\ndata: x\n\n"],
    frames: [{ id: "", event: "message", data: "x" }],
  },
  {
    name: "frame without data only moves the id",
    chunks: ["id: 7-1\nevent: nothing\n\ndata: y\n\n"],
    frames: [{ id: "7-1", event: "message", data: "y" }],
    last: "7-1",
  },
  {
    name: "only one leading space is stripped; no colon means empty value",
    chunks: ["data:  two\ndata\ndata:none\n\n"],
    frames: [{ id: "", event: "message", data: " two\n\nnone" }],
  },
  {
    name: "unterminated frame is not dispatched",
    chunks: ["id: 9-0\ndata: partial\n"],
    frames: [],
    last: "9-0",
  },
  {
    name: "id with NUL is ignored, retry is parsed",
    chunks: ["id: 1-0\n\nid: a\u0000b\nretry: 3000\ndata: z\n\n"],
    frames: [{ id: "1-0", event: "message", data: "z", retry: 3000 }],
  },
  {
    name: "several frames in one chunk keep their own ids and types",
    chunks: [
      "id: 1-0\nevent: execution.started\ndata: {}\n\nid: 1-1\nevent: execution.completed\ndata: {}\n\n",
    ],
    frames: [
      { id: "1-0", event: "execution.started", data: "{}" },
      { id: "1-1", event: "execution.completed", data: "{}" },
    ],
    last: "1-1",
  },
];

describe("sseParse", () => {
  test.each(cases)("$name", (c) => {
    const { frames, last } = feed(c.chunks);
    expect(frames).toEqual(c.frames);
    if (c.last !== undefined) expect(last).toBe(c.last);
  });

  test("initial last event id is kept until a new id arrives", () => {
    const { frames, last } = feed(["data: q\n\n"], "5-5");
    expect(frames).toEqual([{ id: "5-5", event: "message", data: "q" }]);
    expect(last).toBe("5-5");
  });
});
