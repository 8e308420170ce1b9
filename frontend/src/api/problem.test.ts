import { describe, expect, test } from "vitest";

import {
  MAX_RETRY_AFTER_MS,
  ProblemError,
  parseRetryAfter,
  problemFromResponse,
  retryDelayMs,
} from "./problem";

const NOW = Date.parse("2026-12-05T12:00:00Z");

describe("parseRetryAfter", () => {
  test("delay-seconds", () => {
    expect(parseRetryAfter("5", NOW)).toBe(5_000);
    expect(parseRetryAfter(" 0 ", NOW)).toBe(0);
  });

  test("an HTTP date, counted from now; one already past is no pause", () => {
    expect(parseRetryAfter("Sat, 05 Dec 2026 12:00:30 GMT", NOW)).toBe(30_000);
    expect(parseRetryAfter("Sat, 05 Dec 2026 11:00:00 GMT", NOW)).toBe(0);
  });

  test("a pause longer than the cap is cut to it", () => {
    expect(parseRetryAfter("86400", NOW)).toBe(MAX_RETRY_AFTER_MS);
  });

  test("absent or unreadable values ask for nothing", () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter("soon", NOW)).toBeUndefined();
    expect(parseRetryAfter("-3", NOW)).toBeUndefined();
    expect(parseRetryAfter("", NOW)).toBeUndefined();
  });
});

describe("problemFromResponse", () => {
  test("keeps a 429's Retry-After beside the problem's words", async () => {
    const res = new Response(
      JSON.stringify({ type: "about:blank", title: "Too Many Requests", status: 429, detail: "d" }),
      { status: 429, headers: { "Content-Type": "application/problem+json", "Retry-After": "5" } },
    );
    const p = await problemFromResponse(res);
    expect(p.status).toBe(429);
    expect(p.detail).toBe("d");
    expect(p.retryAfterMs).toBe(5_000);
  });

  test("and a proxy's non-JSON 503's", async () => {
    const res = new Response("<html>busy</html>", {
      status: 503,
      headers: { "Content-Type": "text/html", "Retry-After": "2" },
    });
    const p = await problemFromResponse(res);
    expect(p.status).toBe(503);
    expect(p.retryAfterMs).toBe(2_000);
  });

  test("no header, no pause asked", async () => {
    const p = await problemFromResponse(new Response("", { status: 500 }));
    expect(p.retryAfterMs).toBeUndefined();
  });
});

describe("retryDelayMs", () => {
  const asked = (ms: number) =>
    new ProblemError({ title: "t", status: 429, detail: "d", retryAfterMs: ms });

  test("doubles from the base up to the cap", () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, null, 1_000, 10_000))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000,
    ]);
  });

  test("waits at least what the server asked, even beyond the cap", () => {
    expect(retryDelayMs(1, asked(5_000), 1_000, 10_000)).toBe(5_000);
    expect(retryDelayMs(5, asked(30_000), 1_000, 10_000)).toBe(30_000);
    expect(retryDelayMs(4, asked(1_000), 1_000, 10_000)).toBe(8_000);
  });
});
