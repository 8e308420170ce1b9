/**
 * Live execution events: reads GET /executions/{id}/events with fetch and a
 * streaming body reader, and yields each event as it arrives. If the stream drops
 * before a terminal event it reconnects with Last-Event-ID, so nothing is lost or
 * repeated.
 */

import { sseInitialState, sseParse, type SseFrame } from "@/lib/sse";

import { API_BASE, expireSession, getAccessToken, refreshSession } from "./auth";
import { isObject } from "./guards";
import { ProblemError, networkProblem, problemFromResponse, retryDelayMs } from "./problem";
import { TERMINAL_EVENT_TYPES, type ExecutionEvent } from "./types";

/** Consecutive failed attempts (without a new event in between) before giving up. */
const MAX_RECONNECTS = 8;
const MAX_DELAY_MS = 10_000;

export function isTerminalEvent(type: string): boolean {
  return (TERMINAL_EVENT_TYPES as readonly string[]).includes(type);
}

/* Decodes one frame; null for frames that are not execution events. */
function toEvent(frame: SseFrame): ExecutionEvent | null {
  let data: unknown;
  try {
    data = JSON.parse(frame.data);
  } catch {
    console.warn("ignoring SSE frame with invalid JSON data", frame.id);
    return null;
  }
  if (!isObject(data)) return null;
  const type =
    frame.event !== "message" ? frame.event : typeof data.type === "string" ? data.type : "";
  if (type === "") return null;
  return {
    id: frame.id,
    type,
    execution_id: typeof data.execution_id === "string" ? data.execution_id : "",
    time: typeof data.time === "string" ? data.time : "",
    ...(typeof data.node_id === "string" ? { node_id: data.node_id } : {}),
    ...("output" in data && data.output !== undefined ? { output: data.output } : {}),
    ...("error" in data && data.error !== undefined && data.error !== null
      ? { error: data.error }
      : {}),
    ...(typeof data.status === "string" ? { status: data.status } : {}),
    ...(typeof data.text === "string" ? { text: data.text } : {}),
    data,
  };
}

/* Resolves after "ms", or rejects at once when "signal" aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/* Opens the stream once; throws ProblemError for answers that are not a stream. */
async function openStream(
  executionId: string,
  lastEventId: string,
  signal: AbortSignal,
): Promise<ReadableStreamDefaultReader<string>> {
  const url = `${API_BASE}/executions/${encodeURIComponent(executionId)}/events`;
  const attempt = async (): Promise<Response> => {
    // The token goes in a header, never in the URL (URLs end up in logs).
    const headers: Record<string, string> = { Accept: "text/event-stream" };
    if (lastEventId !== "") headers["Last-Event-ID"] = lastEventId;
    const token = getAccessToken();
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    try {
      return await fetch(url, { headers, signal, cache: "no-store", credentials: "same-origin" });
    } catch (err) {
      if (signal.aborted) throw err;
      throw networkProblem(err);
    }
  };
  if (getAccessToken() === null) await refreshSession();
  let res = await attempt();
  if (res.status === 401) {
    if ((await refreshSession()) !== null) res = await attempt();
    if (res.status === 401) expireSession();
  }
  if (!res.ok) throw await problemFromResponse(res);
  if (res.body === null) {
    throw new ProblemError({
      title: "Empty stream",
      status: res.status,
      detail: "No event stream body.",
    });
  }
  return res.body.pipeThrough(new TextDecoderStream()).getReader();
}

/**
 * Yields the events of execution "executionId" until a terminal event
 * (execution.completed, .failed or .cancelled), then returns. "signal" stops it.
 * Throws a ProblemError when the server refuses the stream (4xx) or after
 * MAX_RECONNECTS failed attempts in a row. Between attempts it waits twice as long each
 * time, and at least as long as a refusal's Retry-After asks.
 */
export async function* streamExecutionEvents(
  executionId: string,
  signal: AbortSignal,
): AsyncGenerator<ExecutionEvent, void, undefined> {
  let lastEventId = "";
  let failures = 0;
  let retryMs = 1000;

  for (;;) {
    let lastError: ProblemError;
    try {
      const reader = await openStream(executionId, lastEventId, signal);
      let state = sseInitialState(lastEventId);
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const parsed = sseParse(state, value);
          state = parsed.state;
          for (const frame of parsed.frames) {
            // Only a dispatched frame moves the resume point: an id line whose
            // frame was cut off must be asked for again.
            lastEventId = frame.id;
            if (frame.retry !== undefined) retryMs = frame.retry;
            const ev = toEvent(frame);
            if (ev === null) continue;
            failures = 0;
            yield ev;
            if (isTerminalEvent(ev.type)) return;
          }
        }
      } finally {
        reader.cancel().catch(() => undefined);
      }
      lastError = new ProblemError({
        title: "Event stream closed",
        status: 0,
        detail: "The event stream closed before the run finished.",
      });
    } catch (err) {
      if (signal.aborted) throw err;
      if (err instanceof ProblemError && !err.retryable) throw err;
      lastError = err instanceof ProblemError ? err : networkProblem(err);
    }
    failures += 1;
    if (failures > MAX_RECONNECTS) throw lastError;
    await sleep(retryDelayMs(failures, lastError, retryMs, MAX_DELAY_MS), signal);
  }
}
