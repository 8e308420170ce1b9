"use client";

import type { ReactNode } from "react";

import type { NodeRunState } from "@/lib/runState";
import { durationMs, formatDuration } from "@/lib/runState";

import { JsonBlock } from "../JsonBlock";
import { StatusBadge } from "../StatusBadge";
import { Tabs, type TabItem } from "../ui/Tabs";
import { ReplaySourceBadge } from "./ReplaySourceBadge";
import { Transcript } from "./Transcript";
import { transcriptOf } from "./transcriptOf";

/**
 * One step: input, output, error, streamed text and the agent transcript; "runs" (the runs a
 * map or sub-workflow step started, titled "runsLabel") comes first when given. "actions"
 * go beside the heading, "compare" (a replay's step beside the original's) above the tabs.
 */
export function StepDetail({
  nodeId,
  state,
  runs,
  runsLabel = "Runs",
  actions,
  compare,
}: {
  nodeId: string;
  state: NodeRunState;
  runs?: ReactNode;
  runsLabel?: string;
  actions?: ReactNode;
  compare?: ReactNode;
}) {
  const transcript = transcriptOf(state.output, state.usage);
  const items: TabItem[] = [
    {
      value: "output",
      label: "Output",
      content:
        state.output !== undefined ? (
          <JsonBlock value={state.output} label={`Output of ${nodeId}`} />
        ) : state.tokens !== "" ? (
          <p
            aria-label={`Streamed text of ${nodeId}`}
            aria-live="polite"
            className="rounded-md bg-zinc-100 p-3 text-sm whitespace-pre-wrap dark:bg-zinc-800/70"
          >
            {state.tokens}
          </p>
        ) : (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">No output yet.</p>
        ),
    },
    {
      value: "input",
      label: "Input",
      content:
        state.input !== undefined ? (
          <JsonBlock value={state.input} label={`Input of ${nodeId}`} />
        ) : (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">
            The input shows once the step is recorded.
          </p>
        ),
    },
  ];
  if (state.error !== undefined && state.error !== null) {
    items.unshift({
      value: "error",
      label: "Error",
      content: (
        <div
          role="alert"
          className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-100"
        >
          <JsonBlock value={state.error} label={`Error of ${nodeId}`} />
        </div>
      ),
    });
  }
  if (runs !== undefined) items.unshift({ value: "runs", label: runsLabel, content: runs });
  if (transcript !== null) {
    items.push({
      value: "transcript",
      label: "Transcript",
      content: <Transcript messages={transcript} />,
    });
  }
  if (state.usage !== undefined && state.usage !== null) {
    items.push({
      value: "usage",
      label: "Usage",
      content: <JsonBlock value={state.usage} label={`Usage of ${nodeId}`} />,
    });
  }
  return (
    <section aria-label={`Step ${nodeId}`} className="space-y-3 p-4">
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="font-mono text-sm font-semibold">{nodeId}</h2>
        <StatusBadge status={state.status} />
        <span className="text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
          {formatDuration(durationMs(state.startedAt, state.finishedAt))}
          {state.attempt > 1 ? ` · attempt ${state.attempt}` : ""}
        </span>
        {state.replaySource !== null ? <ReplaySourceBadge source={state.replaySource} /> : null}
        {actions !== undefined ? <div className="ml-auto">{actions}</div> : null}
      </div>
      {compare}
      <Tabs
        key={`${nodeId}-${items[0]?.value ?? ""}`}
        items={items}
        label={`Details of ${nodeId}`}
      />
    </section>
  );
}
