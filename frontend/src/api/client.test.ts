import { readFileSync } from "node:fs";

import { afterEach, beforeAll, describe, expect, test, vi } from "vitest";

import { clearSession, onSessionExpired } from "./auth";
import {
  createWebhook,
  createWorkflow,
  getMe,
  listAgents,
  listExecutions,
  listSchedules,
  listWorkflows,
  previewSchedule,
} from "./client";
import { REQUIRED, asNodeType, asProvider, asSchedule, asSettings } from "./guards";
import { ProblemError } from "./problem";
import { TEST_SESSION as AUTH } from "./session.fixture";

const EMPTY = { items: [], next_cursor: null };

function json(status: number, body: unknown): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json" },
  });
}

/* Routes fetch calls by "METHOD path?query" to the answers in "script", in order. */
function fakeFetch(script: Record<string, Response[]>) {
  const calls: Array<{ key: string; auth: string | null }> = [];
  const fn = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const req =
      input instanceof Request ? input : new Request(new URL(input, "http://fragent.test"), init);
    const url = new URL(req.url);
    const key = `${req.method} ${url.pathname}${url.search}`;
    calls.push({ key, auth: req.headers.get("Authorization") });
    const next = script[key]?.shift();
    if (next === undefined) throw new Error(`unexpected ${key}`);
    return next;
  });
  vi.stubGlobal("fetch", fn);
  return calls;
}

beforeAll(() => {
  vi.stubGlobal("location", { origin: "http://fragent.test" });
});

afterEach(() => {
  clearSession();
  vi.unstubAllGlobals();
  vi.stubGlobal("location", { origin: "http://fragent.test" });
});

describe("the client and the session", () => {
  test("without a token it refreshes first, then sends the bearer token", async () => {
    const calls = fakeFetch({
      "POST /api/v1/auth/refresh": [json(200, AUTH)],
      "GET /api/v1/agents?limit=50": [json(200, EMPTY)],
    });
    await expect(listAgents({ q: "", limit: 50 })).resolves.toEqual(EMPTY);
    expect(calls.map((c) => c.key)).toEqual([
      "POST /api/v1/auth/refresh",
      "GET /api/v1/agents?limit=50",
    ]);
    expect(calls[1]?.auth).toBe("Bearer tok-1");
  });

  test("a 401 refreshes once and retries with the new token", async () => {
    const calls = fakeFetch({
      "POST /api/v1/auth/refresh": [json(200, AUTH), json(200, { ...AUTH, access_token: "tok-2" })],
      "GET /api/v1/workflows?cursor=c1&q=gr": [
        json(401, { title: "Unauthorized", status: 401 }),
        json(200, EMPTY),
      ],
    });
    await listWorkflows({ q: "gr", cursor: "c1" });
    expect(calls.map((c) => c.auth)).toEqual([null, "Bearer tok-1", null, "Bearer tok-2"]);
  });

  test("a refused refresh ends the session and throws 401", async () => {
    fakeFetch({ "POST /api/v1/auth/refresh": [json(401, { title: "Unauthorized", status: 401 })] });
    const expired = vi.fn();
    const off = onSessionExpired(expired);
    const err: unknown = await getMe().catch((e: unknown) => e);
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
    const body = { name: "w", description: "", definition: { nodes: [], edges: [] } };
    const err = (await createWorkflow(body).catch((e: unknown) => e)) as ProblemError;
    expect(err.status).toBe(422);
    expect(err.detail).toBe("the workflow is invalid");
    expect(err.errors).toEqual([{ field: "nodes[0].config.value", message: "is required" }]);
  });

  test("a 2xx body without the document's required fields is refused", async () => {
    fakeFetch({
      "POST /api/v1/auth/refresh": [json(200, AUTH)],
      "GET /api/v1/agents": [json(200, { items: [{ id: "a1" }], next_cursor: null })],
    });
    await expect(listAgents({})).rejects.toThrow(/unexpected answer \(Agent\)/);
  });
});

test("the guards check only fields that the API's document requires", () => {
  const doc = JSON.parse(readFileSync(new URL("./openapi.json", import.meta.url), "utf8")) as {
    components: { schemas: Record<string, { required?: string[] }> };
  };
  for (const [name, fields] of Object.entries(REQUIRED)) {
    const required = doc.components.schemas[name]?.required ?? [];
    for (const f of fields) expect(required, `${name}.${f}`).toContain(f);
  }
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
  // The error handle every node has, and the member naming a switch's case handles.
  expect(
    asNodeType({
      type: "switch",
      handles: { inputs: ["default"], outputs: ["default"], error: "error", cases: "cases" },
    }).handles,
  ).toEqual({ inputs: ["default"], outputs: ["default"], error: "error", cases: "cases" });
  expect(asNodeType({ type: "x", handles: { error: 1, cases: null } }).handles).toEqual({
    inputs: ["default"],
    outputs: ["default"],
  });
});

test("asSettings reads the operator settings and refuses another shape", () => {
  const setting = {
    name: "FRAGENT_MODEL_ALLOWLIST",
    value: "10.0.0.5:11434",
    default: "",
    description: "model servers on private addresses that agents may use",
  };
  expect(asSettings({ settings: [setting] })).toEqual([setting]);
  expect(() => asSettings({ settings: [{ value: "x" }] })).toThrow();
  expect(() => asSettings([])).toThrow();
});

test("asProvider reads a provider of GET /providers and keeps named credential members", () => {
  const anthropic = {
    name: "anthropic",
    title: "Anthropic",
    description: "Anthropic's Messages API.",
    default_base_url: "https://api.anthropic.com",
    credential: [
      { name: "secret", title: "API key", description: "Sent as x-api-key.", required: true },
    ],
  };
  expect(asProvider(anthropic)).toEqual(anthropic);
  expect(
    asProvider({ name: "local", credential: [{ title: "no name" }, { name: "secret" }] }),
  ).toEqual({
    name: "local",
    title: "local",
    description: "",
    default_base_url: "",
    credential: [{ name: "secret", title: "secret", description: "", required: false }],
  });
  expect(() => asProvider({ title: "no name" })).toThrow();
});

describe("triggers", () => {
  const HOOK = {
    id: "h1",
    workflow_id: "w1",
    name: "GitHub push",
    token: "t".repeat(43),
    path: `/hooks/${"t".repeat(43)}`,
    enabled: true,
    methods: ["POST"],
    auth_mode: "hmac",
    response_mode: "async",
    timeout_ms: 30000,
    replay_window_s: 300,
    secret: "whs_abc",
  };
  const SCHEDULE = {
    id: "s1",
    workflow_id: "w1",
    cron: "0 9 * * 1-5",
    timezone: "Europe/Paris",
    enabled: true,
    missed: "run_once",
    description: "every weekday at 09:00, Europe/Paris",
    next_fires: ["2026-12-07T08:00:00Z"],
  };

  test("a new webhook keeps the secret the API showed once", async () => {
    fakeFetch({
      "POST /api/v1/auth/refresh": [json(200, AUTH)],
      "POST /api/v1/workflows/w1/webhooks": [json(201, HOOK)],
    });
    await expect(createWebhook("w1", { auth_mode: "hmac" })).resolves.toMatchObject({
      secret: "whs_abc",
      path: HOOK.path,
    });
  });

  test("schedules are read from {items}; their inputs default to {}", async () => {
    fakeFetch({
      "POST /api/v1/auth/refresh": [json(200, AUTH)],
      "GET /api/v1/workflows/w1/schedules": [json(200, { items: [SCHEDULE] })],
    });
    const [s] = await listSchedules("w1");
    expect(s).toEqual({ ...SCHEDULE, inputs: {} });
    expect(() => asSchedule({ ...SCHEDULE, next_fires: [1] })).toThrow();
  });

  test("a preview's 422 names the field", async () => {
    fakeFetch({
      "POST /api/v1/auth/refresh": [json(200, AUTH)],
      "POST /api/v1/schedules/preview": [
        json(422, {
          title: "Unprocessable Content",
          status: 422,
          detail: "",
          errors: [{ field: "cron", message: "minute 61 is out of range" }],
        }),
      ],
    });
    const err = (await previewSchedule({ cron: "61 * * * *" }).catch((e: unknown) => e)) as
      ProblemError | undefined;
    expect(err?.errors).toEqual([{ field: "cron", message: "minute 61 is out of range" }]);
  });

  test("the executions list sends the trigger filter", async () => {
    const calls = fakeFetch({
      "POST /api/v1/auth/refresh": [json(200, AUTH)],
      "GET /api/v1/executions?limit=50&trigger=webhook": [json(200, EMPTY)],
    });
    await listExecutions({ trigger: "webhook", limit: 50 });
    expect(calls[1]?.key).toBe("GET /api/v1/executions?limit=50&trigger=webhook");
  });

  test("the executions list sends the parent and replay_of filters", async () => {
    const key = "GET /api/v1/executions?limit=20&trigger=replay&parent=none&replay_of=e1";
    const calls = fakeFetch({
      "POST /api/v1/auth/refresh": [json(200, AUTH)],
      [key]: [json(200, EMPTY)],
    });
    await listExecutions({ trigger: "replay", parent: "none", replay_of: "e1", limit: 20 });
    expect(calls[1]?.key).toBe(key);
  });
});
