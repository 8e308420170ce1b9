"use client";

// A replay's step beside the original's: two output blocks, highlighted where they differ.

import type { NodeRunState } from "@/lib/runState";
import type { ReplayMark } from "@/lib/replay";

import { JsonBlock } from "../JsonBlock";
import { StatusBadge } from "../StatusBadge";
import { Skeleton } from "../ui/Skeleton";

function Side({
  title,
  nodeId,
  state,
  differs,
}: {
  title: string;
  nodeId: string;
  state: NodeRunState | undefined;
  differs: boolean;
}) {
  return (
    <div
      role="group"
      aria-label={`${title} output of ${nodeId}`}
      className={`min-w-0 space-y-1.5 rounded-md p-1.5 ${
        differs ? "bg-amber-50 ring-2 ring-amber-400 dark:bg-amber-950/30 dark:ring-amber-600" : ""
      }`}
    >
      <div className="flex items-center gap-2">
        <h3 className="text-xs font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400">
          {title}
        </h3>
        {state !== undefined ? <StatusBadge status={state.status} /> : null}
      </div>
      {state?.output !== undefined ? (
        <JsonBlock value={state.output} label={`${title} output of ${nodeId}`} compact />
      ) : (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">No output.</p>
      )}
    </div>
  );
}

/**
 * Node "nodeId" in the original run and in its replay, side by side; "original" undefined
 * while the original loads.
 */
export function ReplayCompare({
  nodeId,
  original,
  replay,
  mark,
  error,
}: {
  nodeId: string;
  original: NodeRunState | undefined;
  replay: NodeRunState;
  mark: ReplayMark | undefined;
  error: boolean;
}) {
  const differs = mark === "differs";
  return (
    <section aria-label={`${nodeId} beside the original`} className="space-y-1.5">
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        {differs
          ? "The output differs from the original run's."
          : mark === "reused"
            ? "Copied from the original run."
            : mark === "same"
              ? "The same output as the original run's."
              : "Beside the original run."}
      </p>
      <div className="grid grid-cols-2 gap-2">
        {error ? (
          <p className="text-xs text-red-700 dark:text-red-300">
            The original run could not be loaded.
          </p>
        ) : original === undefined ? (
          <div aria-busy="true" aria-label="Loading the original" className="space-y-1.5 p-1.5">
            <Skeleton className="h-4 w-16" />
            <Skeleton className="h-16 w-full" />
          </div>
        ) : (
          <Side title="Original" nodeId={nodeId} state={original} differs={differs} />
        )}
        <Side title="Replay" nodeId={nodeId} state={replay} differs={differs} />
      </div>
    </section>
  );
}
