import { afterEach, describe, expect, test, vi } from "vitest";

import { clearSession, onSessionExpired } from "./auth";
import { apiRequest } from "./client";
import { asNodeType, asSettings } from "./guards";
import { ProblemError } from "./problem";

const AUTH = {
  user: {
    id: "u1",
    username: "ada",
    email: "a@example.com",
    role: "admin",
    created_at: "",
    updated_at: "",
  },
  access_token: "tok-1",
  token_type: "Bearer",
  expires_in: 900,
};

function json(status: number, body: unknown): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json" },
  });
}

/* Routes fetch calls by "METHOD path" to the answers in "script", in order. */
function fakeFetch(script: Record<string, Response[]>) {
  const calls: Array<{ key: string; auth: string | null }> = [];
  const fn = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    const key = `${init?.method ?? "GET"} ${String(url)}`;
    const headers = new Headers(init?.headers);
    calls.push({ key, auth: headers.get("Authorization") });
    const next = script[key]?.shift();
    if (next === undefined) throw new Error(`unexpected ${key}`);
    return next;
  });
  vi.stubGlobal("fetch", fn);
  return calls;
}

afterEach(() => {
  clearSession();
  vi.unstubAllGlobals();
});

describe("apiRequest and the session", () => {
  test("without a token it refreshes first, then sends the bearer token", async () => {
    const calls = fakeFetch({
      "POST /api/v1/auth/refresh": [json(200, AUTH)],
      "GET /api/v1/agents": [json(200, { items: [], next_cursor: null })],
    });
    await expect(apiRequest("/agents")).resolves.toEqual({ items: [], next_cursor: null });
    expect(calls.map((c) => c.key)).toEqual(["POST /api/v1/auth/refresh", "GET /api/v1/agents"]);
    expect(calls[1]?.auth).toBe("Bearer tok-1");
  });

  test("a 401 refreshes once and retries with the new token", async () => {
    const calls = fakeFetch({
      "POST /api/v1/auth/refresh": [json(200, AUTH), json(200, { ...AUTH, access_token: "tok-2" })],
      "GET /api/v1/workflows": [
        json(401, { title: "Unauthorized", status: 401 }),
        json(200, { items: [], next_cursor: null }),
      ],
    });
    await apiRequest("/workflows");
    expect(calls.map((c) => c.auth)).toEqual([null, "Bearer tok-1", null, "Bearer tok-2"]);
  });

  test("a refused refresh ends the session and throws 401", async () => {
    fakeFetch({ "POST /api/v1/auth/refresh": [json(401, { title: "Unauthorized", status: 401 })] });
    const expired = vi.fn();
    const off = onSessionExpired(expired);
    const err: unknown = await apiRequest("/auth/me").catch((e: unknown) => e);
    off();
    expect(err).toBeInstanceOf(ProblemError);
    expect((err as ProblemError).status).toBe(401);
    expect(expired).toHaveBeenCalledOnce();
  });

  test("problem+json answers become ProblemErrors with field errors", async () => {
    fakeFetch({
      "POST /api/v1/auth/refresh": [json(200, AUTH)],
      "POST /api/v1/workflows": [
        json(422, {
          title: "Unprocessable Content",
          status: 422,
          detail: "the workflow is invalid",
          errors: [{ field: "nodes[0].config.value", message: "is required" }],
        }),
      ],
    });
    const err = (await apiRequest("/workflows", { method: "POST", body: {} }).catch(
      (e: unknown) => e,
    )) as ProblemError;
    expect(err.status).toBe(422);
    expect(err.detail).toBe("the workflow is invalid");
    expect(err.errors).toEqual([{ field: "nodes[0].config.value", message: "is required" }]);
  });
});

test("asNodeType fills defaults and reads handle lists", () => {
  expect(
    asNodeType({ type: "condition", handles: { inputs: ["default"], outputs: ["true", "false"] } }),
  ).toEqual({
    type: "condition",
    title: "condition",
    description: "",
    category: "Other",
    config_schema: { type: "object" },
    handles: { inputs: ["default"], outputs: ["true", "false"] },
  });
  expect(asNodeType({ type: "input", handles: { inputs: 0 } }).handles.inputs).toEqual([]);
});

test("asSettings reads the operator settings and refuses another shape", () => {
  expect(
    asSettings({
      settings: [{ name: "FRAGENT_MODEL_ALLOWLIST", value: "10.0.0.5:11434", default: "" }],
    }),
  ).toEqual([
    { name: "FRAGENT_MODEL_ALLOWLIST", value: "10.0.0.5:11434", default: "", description: "" },
  ]);
  expect(() => asSettings({ settings: [{ value: "x" }] })).toThrow();
  expect(() => asSettings([])).toThrow();
});
