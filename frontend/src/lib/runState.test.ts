import { describe, expect, test } from "vitest";

import type { ExecutionEvent, ExecutionWithSteps as Execution } from "@/api/types";

import {
  deriveNodeStates,
  durationMs,
  effectiveStatus,
  formatDuration,
  timeline,
} from "./runState";

const ids = ["in", "work", "out"];

function ev(id: string, type: string, data: Partial<ExecutionEvent> = {}): ExecutionEvent {
  return { id, type, execution_id: "e", time: `2026-01-01T00:00:0${id}Z`, data: {}, ...data };
}

const base: Execution = {
  id: "e",
  kind: "workflow",
  workflow_id: "w",
  workflow_version: 1,
  status: "running",
  inputs: {},
  results: null,
  error: null,
  attempt: 1,
  created_at: "",
  start_time: null,
  end_time: null,
  steps: [],
};

describe("deriveNodeStates", () => {
  test("an approval node waits, the run waits, and the answer completes the node", () => {
    const waiting = [
      ev("1", "execution.started"),
      ev("2", "node.started", { node_id: "work" }),
      ev("3", "node.waiting", { node_id: "work" }),
      ev("4", "execution.waiting", { status: "waiting" }),
    ];
    expect(deriveNodeStates(ids, base, waiting).work?.status).toBe("waiting");
    expect(effectiveStatus(base, waiting)).toBe("waiting");
    const answered = [
      ...waiting,
      ev("5", "approval.answered", {
        node_id: "work",
        data: { approved: true, comment: "ok", by: "u1", at: "2026-01-01T00:00:05Z" },
      }),
      ev("6", "execution.started"),
    ];
    const s = deriveNodeStates(ids, base, answered);
    expect(s.work?.status).toBe("succeeded");
    expect(s.work?.output).toEqual({
      approved: true,
      comment: "ok",
      by: "u1",
      at: "2026-01-01T00:00:05Z",
    });
    expect(effectiveStatus(base, answered)).toBe("running");
  });

  test("a waiting step from the store shows as waiting", () => {
    const exec: Execution = {
      ...base,
      status: "waiting",
      steps: [{ node_id: "work", status: "waiting", attempt: 1, started_at: "" }],
    };
    expect(deriveNodeStates(ids, exec, []).work?.status).toBe("waiting");
  });

  test("events move nodes through running to succeeded and collect tokens", () => {
    const s = deriveNodeStates(ids, base, [
      ev("1", "execution.started"),
      ev("2", "node.started", { node_id: "in" }),
      ev("3", "node.completed", { node_id: "in", output: { a: 1 } }),
      ev("4", "node.started", { node_id: "work" }),
      ev("5", "node.token", { node_id: "work", text: "Hel" }),
      ev("6", "node.token", { node_id: "work", text: "lo" }),
    ]);
    expect(s.in?.status).toBe("succeeded");
    expect(s.in?.output).toEqual({ a: 1 });
    expect(s.work?.status).toBe("running");
    expect(s.work?.tokens).toBe("Hello");
    expect(s.out?.status).toBe("queued");
    expect(durationMs(s.in?.startedAt ?? null, s.in?.finishedAt ?? null)).toBe(1000);
  });

  test("a failure shows its error; unreached nodes are skipped after the run ends", () => {
    const events = [
      ev("1", "node.started", { node_id: "work" }),
      ev("2", "node.failed", { node_id: "work", error: "boom" }),
      ev("3", "execution.failed", { error: "boom" }),
    ];
    const s = deriveNodeStates(ids, base, events);
    expect(s.work).toMatchObject({ status: "failed", error: "boom" });
    expect(s.out?.status).toBe("skipped");
    expect(effectiveStatus(base, events)).toBe("failed");
  });

  test("recorded steps count, and a stale running event does not undo them", () => {
    const exec: Execution = {
      ...base,
      steps: [
        {
          node_id: "in",
          status: "succeeded",
          attempt: 1,
          input: null,
          output: 1,
          error: null,
          started_at: "2026-01-01T00:00:00Z",
          finished_at: "2026-01-01T00:00:01Z",
        },
      ],
    };
    const s = deriveNodeStates(ids, exec, [ev("1", "node.started", { node_id: "in" })]);
    expect(s.in?.status).toBe("succeeded");
  });

  test("after a retry a failed step of the earlier attempt is queued again", () => {
    const exec: Execution = {
      ...base,
      attempt: 2,
      steps: [
        {
          node_id: "work",
          status: "failed",
          attempt: 1,
          input: null,
          output: null,
          error: "x",
          started_at: "2026-01-01T00:00:00Z",
          finished_at: null,
        },
      ],
    };
    expect(deriveNodeStates(ids, exec, [])["work"]?.status).toBe("queued");
  });

  test("cancel marks unfinished nodes cancelled", () => {
    const s = deriveNodeStates(ids, base, [
      ev("1", "node.started", { node_id: "in" }),
      ev("2", "execution.cancelled"),
    ]);
    expect(s.in?.status).toBe("cancelled");
    expect(s.out?.status).toBe("cancelled");
  });

  test("a replay's steps say where their output came from", () => {
    const exec: Execution = {
      ...base,
      status: "succeeded",
      steps: [
        { node_id: "in", status: "completed", attempt: 1, replay_source: "reused" },
        { node_id: "work", status: "completed", attempt: 1, replay_source: "live", calls: 1 },
      ],
    };
    const s = deriveNodeStates(ids, exec, []);
    expect(s.in?.replaySource).toBe("reused");
    expect(s.work?.replaySource).toBe("live");
    expect(s.out?.replaySource).toBeNull();
  });

  test("timeline is ordered by start time", () => {
    const s = deriveNodeStates(ids, base, [
      ev("3", "node.started", { node_id: "out" }),
      ev("1", "node.started", { node_id: "in" }),
    ]);
    expect(timeline(s).map(([id]) => id)).toEqual(["in", "out"]);
  });
});

test.each([
  [null, "—"],
  [850, "850 ms"],
  [2400, "2.4 s"],
  [185_000, "3 min 05 s"],
])("formatDuration(%j) = %s", (ms, text) => {
  expect(formatDuration(ms)).toBe(text);
});
