/** RFC 9457 problem details as an Error the UI can show. */

import { isObject } from "./guards";
import type { FieldError } from "./types";

export class ProblemError extends Error {
  readonly type: string;
  readonly title: string;
  /** HTTP status; 0 when the server could not be reached at all. */
  readonly status: number;
  readonly detail: string;
  readonly errors: FieldError[];
  /** How long the server asked to wait before trying again (Retry-After), if it did. */
  readonly retryAfterMs: number | undefined;

  constructor(p: {
    type?: string;
    title: string;
    status: number;
    detail: string;
    errors?: FieldError[];
    retryAfterMs?: number;
  }) {
    super(p.detail || p.title);
    this.name = "ProblemError";
    this.type = p.type ?? "about:blank";
    this.title = p.title;
    this.status = p.status;
    this.detail = p.detail;
    this.errors = p.errors ?? [];
    this.retryAfterMs = p.retryAfterMs;
  }

  /** True for failures worth trying again: no answer, rate limits and 5xx. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

function fieldErrors(v: unknown): FieldError[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((e: unknown) =>
    isObject(e) && typeof e.message === "string"
      ? [{ field: typeof e.field === "string" ? e.field : "", message: e.message }]
      : [],
  );
}

/** The longest pause a Retry-After header may ask for; a larger one is cut to it. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * The pause a Retry-After header value asks for, in milliseconds: delay-seconds or an
 * HTTP date (RFC 9110), at most MAX_RETRY_AFTER_MS; undefined when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else {
    // Only an HTTP date (…GMT): Date.parse also reads "-3" or "2026" as dates.
    const at = /^[A-Za-z]{3}, .* GMT$/.test(v) ? Date.parse(v) : NaN;
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/**
 * Builds a ProblemError from a non-2xx response. Reads the body: a problem+json
 * (or JSON) body gives title, detail and field errors; anything else (a proxy's
 * HTML error page) gives a generic message with the status.
 */
export async function problemFromResponse(res: Response): Promise<ProblemError> {
  const fallbackTitle = res.statusText || `HTTP ${res.status}`;
  const retryAfterMs = parseRetryAfter(res.headers.get("retry-after"));
  let body: unknown = null;
  const ctype = res.headers.get("content-type") ?? "";
  if (ctype.includes("json")) {
    try {
      body = await res.json();
    } catch {
      body = null;
    }
  }
  if (isObject(body)) {
    const title = typeof body.title === "string" ? body.title : fallbackTitle;
    return new ProblemError({
      type: typeof body.type === "string" ? body.type : undefined,
      title,
      status: typeof body.status === "number" ? body.status : res.status,
      detail: typeof body.detail === "string" ? body.detail : "",
      errors: fieldErrors(body.errors),
      retryAfterMs,
    });
  }
  return new ProblemError({
    title: "Request failed",
    status: res.status,
    detail:
      res.status === 502 || res.status === 503 || res.status === 504
        ? "The API service is not answering. It may be starting or stopped."
        : `The server answered ${res.status} ${res.statusText}`.trim() + ".",
    retryAfterMs,
  });
}

/**
 * How long to wait before try "attempt" (1 for the first retry) after "err": twice as long
 * each time from "baseMs", at most "maxMs", and never less than the server's Retry-After.
 */
export function retryDelayMs(attempt: number, err: unknown, baseMs: number, maxMs: number): number {
  const backoff = Math.min(baseMs * 2 ** (attempt - 1), maxMs);
  const asked = err instanceof ProblemError ? err.retryAfterMs : undefined;
  return asked === undefined ? backoff : Math.max(backoff, asked);
}

/** The error used when fetch itself fails (server down, connection reset). */
export function networkProblem(cause: unknown): ProblemError {
  const err = new ProblemError({
    title: "Network error",
    status: 0,
    detail: "Could not reach the Fra-Gent API. Check that the server is running.",
  });
  err.cause = cause;
  return err;
}

/** Turns anything thrown into something with a title and a detail to show. */
export function toProblem(err: unknown): ProblemError {
  if (err instanceof ProblemError) return err;
  if (err instanceof Error) {
    return new ProblemError({ title: "Unexpected error", status: -1, detail: err.message });
  }
  return new ProblemError({ title: "Unexpected error", status: -1, detail: String(err) });
}
