/**
 * What the execution monitor shows for each node: its status, output, error,
 * streamed text and times, merged from the execution's recorded steps and the
 * live events. Pure; tested in runState.test.ts.
 */

import type {
  ExecutionWithSteps,
  ExecutionEvent,
  ExecutionStatus,
  JsonValue,
  NodeStatus,
  ReplaySource,
} from "@/api/types";

export interface NodeRunState {
  status: NodeStatus;
  attempt: number;
  input?: JsonValue;
  output?: JsonValue;
  error?: JsonValue;
  usage?: JsonValue;
  /** node.token text, in order. */
  tokens: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** In a replay: where the step's output came from (null: not a replay, or not recorded yet). */
  replaySource: ReplaySource | null;
}

const RANK: Record<NodeStatus, number> = {
  queued: 0,
  running: 1,
  waiting: 1,
  succeeded: 2,
  failed: 2,
  skipped: 2,
  cancelled: 2,
};

function asNodeStatus(s: string): NodeStatus {
  switch (s) {
    case "running":
    case "waiting":
    case "succeeded":
    case "failed":
    case "skipped":
    case "cancelled":
    case "queued":
      return s;
    case "completed":
      return "succeeded";
    default:
      return "queued";
  }
}

function fresh(): NodeRunState {
  return {
    status: "queued",
    attempt: 0,
    tokens: "",
    startedAt: null,
    finishedAt: null,
    replaySource: null,
  };
}

/** The run's status once the events are counted (a terminal event beats a stale fetch). */
export function effectiveStatus(
  execution: ExecutionWithSteps | undefined,
  events: readonly ExecutionEvent[],
): ExecutionStatus {
  let status: ExecutionStatus = execution?.status ?? "queued";
  for (const ev of events) {
    if (ev.type === "execution.started" && (status === "queued" || status === "waiting"))
      status = "running";
    else if (ev.type === "execution.waiting") status = "waiting";
    else if (ev.type === "execution.completed") status = "succeeded";
    else if (ev.type === "execution.failed") status = "failed";
    else if (ev.type === "execution.cancelled") status = "cancelled";
  }
  return status;
}

export function isFinished(status: ExecutionStatus): boolean {
  return status === "succeeded" || status === "failed" || status === "cancelled";
}

/**
 * Merges "execution" (steps as last fetched) and "events" (live, in order) into one
 * state per node id in "nodeIds". A state never moves back from finished to
 * running unless an event of a newer attempt says so; nodes nothing is known about
 * are queued while the run goes on, and skipped (or cancelled) once it ended.
 */
export function deriveNodeStates(
  nodeIds: readonly string[],
  execution: ExecutionWithSteps | undefined,
  events: readonly ExecutionEvent[],
): Record<string, NodeRunState> {
  const out: Record<string, NodeRunState> = {};
  for (const id of nodeIds) out[id] = fresh();
  const get = (id: string): NodeRunState => {
    out[id] ??= fresh();
    return out[id];
  };

  const runAttempt = execution?.attempt ?? 1;
  for (const step of execution?.steps ?? []) {
    if (step.node_id === undefined) continue;
    const s = get(step.node_id);
    let status = asNodeStatus(step.status ?? "");
    const attempt = step.attempt ?? runAttempt;
    // A step that failed in an earlier attempt runs again after a retry.
    if (attempt < runAttempt && (status === "failed" || status === "cancelled")) status = "queued";
    Object.assign(s, {
      status,
      attempt,
      input: step.input,
      output: step.output,
      error: status === "queued" ? undefined : step.error,
      usage: step.usage,
      startedAt: step.started_at,
      finishedAt: status === "running" || status === "queued" ? null : step.finished_at,
      replaySource: step.replay_source ?? null,
    });
  }

  for (const ev of events) {
    if (ev.node_id === undefined) continue;
    const s = get(ev.node_id);
    const time = ev.time !== "" ? ev.time : null;
    const apply = (status: NodeStatus) => {
      if (RANK[status] < RANK[s.status] && s.status !== "failed") return false;
      s.status = status;
      return true;
    };
    switch (ev.type) {
      case "node.started":
        if (RANK[s.status] < RANK.running || s.status === "failed") {
          s.status = "running";
          s.tokens = "";
          s.error = undefined;
          s.startedAt = time ?? s.startedAt;
          s.finishedAt = null;
        }
        break;
      case "node.token":
        s.tokens += ev.text ?? "";
        if (s.status === "queued") s.status = "running";
        break;
      case "node.completed":
        if (apply("succeeded")) {
          if (ev.output !== undefined) s.output = ev.output;
          s.error = undefined;
          s.finishedAt = time ?? s.finishedAt;
        }
        break;
      case "node.failed":
        s.status = "failed";
        if (ev.error !== undefined) s.error = ev.error;
        s.finishedAt = time ?? s.finishedAt;
        break;
      case "node.skipped":
        apply("skipped");
        break;
      case "node.waiting":
        // Parked until a person answers (an approval node).
        if (s.status !== "succeeded") {
          s.status = "waiting";
          s.startedAt = time ?? s.startedAt;
          s.finishedAt = null;
        }
        break;
      case "approval.answered": {
        // The answer is the node's output: {approved, comment, by, at}.
        const { approved, comment, by, at } = ev.data;
        s.status = "succeeded";
        s.output = {
          approved: approved ?? null,
          comment: comment ?? "",
          by: by ?? null,
          at: at ?? null,
        };
        s.finishedAt = time ?? s.finishedAt;
        break;
      }
      default:
        break;
    }
  }

  const status = effectiveStatus(execution, events);
  if (isFinished(status)) {
    for (const s of Object.values(out)) {
      if (s.status === "queued") s.status = status === "cancelled" ? "cancelled" : "skipped";
      else if (s.status === "running") s.status = status === "cancelled" ? "cancelled" : s.status;
    }
  }
  return out;
}

/** Milliseconds between two ISO times, or null when either is missing. */
export function durationMs(
  start: string | null | undefined,
  end: string | null | undefined,
): number | null {
  if (start === null || start === undefined || end === null || end === undefined) return null;
  const a = Date.parse(start);
  const b = Date.parse(end);
  return Number.isNaN(a) || Number.isNaN(b) ? null : Math.max(0, b - a);
}

/** "850 ms", "2.4 s", "3 min 05 s". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m} min ${String(s).padStart(2, "0")} s`;
}

/** The nodes that have started, in the order they started (the timeline). */
export function timeline(states: Record<string, NodeRunState>): Array<[string, NodeRunState]> {
  return Object.entries(states)
    .filter(([, s]) => s.startedAt !== null || s.status === "failed" || s.status === "succeeded")
    .sort(([, a], [, b]) => (a.startedAt ?? "\uffff").localeCompare(b.startedAt ?? "\uffff"));
}
