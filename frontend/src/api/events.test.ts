import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";

import { clearSession, setSession } from "./auth";
import { streamExecutionEvents } from "./events";
import { ProblemError } from "./problem";
import { TEST_SESSION as AUTH } from "./session.fixture";
import type { ExecutionEvent } from "./types";

const PATH = "/api/v1/executions/e1/events";

function frame(id: string, type: string): string {
  return `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify({ execution_id: "e1", time: "t" })}\n\n`;
}

/* An event stream answer whose body is "text" (then the end of the body). */
function stream(text: string): Response {
  return new Response(text, { status: 200, headers: { "Content-Type": "text/event-stream" } });
}

function problem(status: number, detail: string, retryAfter?: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", title: "t", status, detail }), {
    status,
    headers: {
      "Content-Type": "application/problem+json",
      ...(retryAfter !== undefined ? { "Retry-After": retryAfter } : {}),
    },
  });
}

/* Answers the stream's requests from "answers" in order; records each one's Last-Event-ID. */
function fakeFetch(answers: Response[]) {
  const lastIds: Array<string | null> = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
      const req =
        input instanceof Request ? input : new Request(new URL(input, "http://fragent.test"), init);
      expect(new URL(req.url).pathname).toBe(PATH);
      lastIds.push(req.headers.get("Last-Event-ID"));
      const next = answers.shift();
      if (next === undefined) throw new Error("unexpected request");
      return next;
    }),
  );
  return lastIds;
}

/* Reads every event of the stream, or the error it ends with. */
async function readAll(): Promise<{ types: string[]; error: unknown }> {
  const types: string[] = [];
  try {
    for await (const ev of streamExecutionEvents("e1", new AbortController().signal)) {
      types.push((ev as ExecutionEvent).type);
    }
    return { types, error: null };
  } catch (err) {
    return { types, error: err };
  }
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal("location", { origin: "http://fragent.test" });
  setSession(AUTH);
});

afterEach(() => {
  clearSession();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("live execution events", () => {
  test("a stream that drops reconnects from the last event it got", async () => {
    const lastIds = fakeFetch([
      stream(frame("1-0", "execution.started")),
      stream(frame("2-0", "execution.completed")),
    ]);
    const read = readAll();
    await vi.advanceTimersByTimeAsync(1000);
    expect(await read).toEqual({
      types: ["execution.started", "execution.completed"],
      error: null,
    });
    expect(lastIds).toEqual([null, "1-0"]);
  });

  test("429 (the user holds as many streams as allowed) is tried again after a pause", async () => {
    const lastIds = fakeFetch([
      problem(429, "too many open event streams"),
      problem(429, "too many open event streams"),
      stream(frame("1-0", "execution.started") + frame("2-0", "execution.failed")),
    ]);
    const read = readAll();
    await vi.advanceTimersByTimeAsync(999);
    expect(lastIds).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1 + 2000);
    expect(await read).toEqual({ types: ["execution.started", "execution.failed"], error: null });
    expect(lastIds).toHaveLength(3);
  });

  test("429 with Retry-After waits as long as the server asks, not the shorter back-off", async () => {
    const lastIds = fakeFetch([
      problem(429, "too many open event streams", "5"),
      stream(frame("1-0", "execution.started") + frame("2-0", "execution.completed")),
    ]);
    const read = readAll();
    await vi.advanceTimersByTimeAsync(4_999);
    expect(lastIds).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await read).toEqual({
      types: ["execution.started", "execution.completed"],
      error: null,
    });
    expect(lastIds).toHaveLength(2);
  });

  test("429 that lasts gives up after eight tries again, with the server's words", async () => {
    const answers = Array.from({ length: 9 }, () =>
      problem(429, "too many open event streams: close a run view"),
    );
    const lastIds = fakeFetch(answers);
    const read = readAll();
    // Pauses of 1, 2, 4 and 8 s, then 10 s (the cap) four times.
    await vi.advanceTimersByTimeAsync(55_000);
    const { types, error } = await read;
    expect(types).toEqual([]);
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).status).toBe(429);
    expect((error as ProblemError).detail).toBe("too many open event streams: close a run view");
    expect(lastIds).toHaveLength(9);
  });

  test("404 is final: no second try", async () => {
    const lastIds = fakeFetch([problem(404, "not found")]);
    const { error } = await readAll();
    expect((error as ProblemError).status).toBe(404);
    expect(lastIds).toHaveLength(1);
  });
});
