/** Derives an execution's status from the events seen so far. */

import type { ExecutionEvent, ExecutionStatus } from "@/api";

const BY_EVENT: Readonly<Record<string, ExecutionStatus>> = {
  "execution.started": "running",
  "execution.completed": "succeeded",
  "execution.failed": "failed",
  "execution.cancelled": "cancelled",
};

/** The status implied by the latest execution.* event, else "fallback". */
export function statusFromEvents(
  events: readonly ExecutionEvent[],
  fallback: ExecutionStatus,
): ExecutionStatus {
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const ev = events[i];
    if (ev === undefined) continue;
    const s = BY_EVENT[ev.type];
    if (s !== undefined) return s;
    if (ev.type.startsWith("node.")) return "running";
  }
  return fallback;
}
