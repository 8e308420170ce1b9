/**
 * Deterministic replay in the run view: how each node of a replay compares with the
 * original (its mark on the graph), the labels of a step's replay source, and the body of
 * a "replay from here" request. Pure; tested in replay.test.ts.
 */

import type {
  JsonObject,
  JsonValue,
  ReplayDiff,
  ReplayOrigin,
  ReplayRequest,
  ReplaySource,
  WorkflowDefinition,
} from "@/api/types";

import { canonical } from "./versionDiff";

/**
 * A node of a replay beside the original: "differs" (another output or status), "same"
 * (re-run, same output), "reused" (copied from the original, before the replayed part).
 */
export type ReplayMark = "differs" | "same" | "reused";

/** Each node's mark; a node that ran in neither run has none. */
export function replayMarks(diff: ReplayDiff | undefined): Record<string, ReplayMark> {
  const out: Record<string, ReplayMark> = {};
  for (const n of diff?.nodes ?? []) {
    // Absent and null say the same: no step in that run, no output to compare.
    const status = n.status ?? null;
    const original = n.original_status ?? null;
    if (n.replay_source === "reused") out[n.node_id] = "reused";
    else if (status === null && original === null) continue;
    else if (status !== original || n.same_output === false) out[n.node_id] = "differs";
    else out[n.node_id] = "same";
  }
  return out;
}

/** How many nodes differ from the original. */
export function countDiffering(marks: Record<string, ReplayMark>): number {
  return Object.values(marks).filter((m) => m === "differs").length;
}

/** A step's replay source as its badge says it. */
export const REPLAY_SOURCE_LABELS: Record<ReplaySource, { label: string; title: string }> = {
  reused: { label: "reused", title: "Output copied from the original run" },
  recording: { label: "from recording", title: "Re-run; every call answered from the recording" },
  live: { label: "called out", title: "Re-run; a request differed, so it called out" },
  computed: { label: "re-computed", title: "Re-run; no outbound calls" },
};

/** "from step agent · offline" for a replay's banner ("" for an exact, online one). */
export function replayDescription(r: ReplayOrigin | null | undefined): string {
  if (r === null || r === undefined) return "";
  const parts: string[] = [];
  if (r.from_node !== null) parts.push(`from step ${r.from_node}`);
  if (r.input_changed) parts.push("changed inputs");
  if (r.definition_changed) parts.push("changed definition");
  parts.push(r.offline ? "offline" : "calls out when a request differs");
  return parts.join(" · ");
}

/** The inputs typed as JSON: an object, or why not. */
export function parseInputs(text: string): { value: JsonObject } | { error: string } {
  let v: unknown;
  try {
    v = JSON.parse(text.trim() === "" ? "{}" : text);
  } catch {
    return { error: "This is not valid JSON." };
  }
  if (typeof v !== "object" || v === null || Array.isArray(v))
    return { error: 'The inputs must be a JSON object, like {"name": "Ada"}.' };
  return { value: v as JsonObject };
}

/** What "Replay from here" sends: the inputs only when they changed, the definition when chosen. */
export function replayRequest(opts: {
  fromNode: string;
  inputs: JsonObject;
  original: JsonValue | undefined;
  definition: WorkflowDefinition | null;
  offline: boolean;
}): ReplayRequest {
  const body: ReplayRequest = { from_node: opts.fromNode, offline: opts.offline };
  if (canonical(opts.inputs) !== canonical(opts.original ?? {})) body.input = opts.inputs;
  if (opts.definition !== null) body.definition = opts.definition;
  return body;
}
