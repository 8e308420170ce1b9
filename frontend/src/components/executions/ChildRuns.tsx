"use client";

import Link from "next/link";
import { useState } from "react";

import { EXECUTION_STATUSES, useExecutionChildren } from "@/api";
import type { ExecutionStatus } from "@/api";
import { durationMs, formatDuration } from "@/lib/runState";

import { EmptyState } from "../EmptyState";
import { ProblemAlert } from "../ProblemAlert";
import { STATUS_STYLES, StatusBadge } from "../StatusBadge";
import { Button } from "../ui/Button";
import { Select } from "../ui/Select";
import { Skeleton } from "../ui/Skeleton";

const STATUS_OPTIONS = [
  { value: "", label: "Every status" },
  ...EXECUTION_STATUSES.map((s) => ({ value: s, label: STATUS_STYLES[s].label })),
];

/**
 * The runs a map or sub_workflow node started, by item: how many are in each status, and a
 * page of them (filterable by status) linking to each run. Refreshes while "live".
 */
export function ChildRuns({
  executionId,
  nodeId,
  isMap,
  live,
}: {
  executionId: string;
  nodeId: string;
  isMap: boolean;
  live: boolean;
}) {
  const [status, setStatus] = useState<ExecutionStatus | "">("");
  // The "after" of each page visited, so that Previous can go back.
  const [pages, setPages] = useState<number[]>([]);
  const after = pages.length > 0 ? pages[pages.length - 1] : undefined;
  const q = useExecutionChildren(executionId, nodeId, {
    status: status === "" ? undefined : status,
    after,
    live,
  });

  if (q.isError) {
    return (
      <ProblemAlert
        error={q.error}
        context="Could not load the runs of this step"
        onRetry={() => void q.refetch()}
      />
    );
  }
  if (q.data === undefined) {
    return (
      <div aria-busy="true" aria-label="Loading runs" className="space-y-2">
        <Skeleton className="h-6 w-2/3" />
        <Skeleton className="h-24 w-full" />
      </div>
    );
  }
  const d = q.data;
  const counts = EXECUTION_STATUSES.filter((s) => (d.counts[s] ?? 0) > 0);
  return (
    <div className="space-y-3">
      {isMap ? (
        <div className="flex flex-wrap items-center gap-2">
          <p className="text-sm tabular-nums" aria-label="Items by status">
            <span className="font-semibold">{d.total}</span>{" "}
            {d.total === 1 ? "item started" : "items started"}
          </p>
          {counts.map((s) => (
            <span
              key={s}
              className={`rounded-md px-1.5 py-0.5 text-xs font-medium tabular-nums ring-1 ring-inset ${STATUS_STYLES[s].className}`}
            >
              {d.counts[s]} {STATUS_STYLES[s].label.toLowerCase()}
            </span>
          ))}
          <div className="ml-auto w-40">
            <Select
              id={`child-status-${nodeId}`}
              aria-label="Show items of status"
              value={status}
              onChange={(v) => {
                setStatus(v as ExecutionStatus | "");
                setPages([]);
              }}
              options={STATUS_OPTIONS}
            />
          </div>
        </div>
      ) : null}
      {d.items.length === 0 ? (
        <EmptyState title={status === "" ? "No runs started yet" : "No items in this status"}>
          {status === ""
            ? "The runs of this step show here once it starts them."
            : "Choose another status to see its items."}
        </EmptyState>
      ) : (
        <ul
          aria-label={isMap ? "Items" : "Runs"}
          className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
        >
          {d.items.map((c) => (
            <li key={c.id} className="flex items-center gap-3 px-3 py-2 text-sm">
              <span className="w-16 shrink-0 font-mono text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
                {c.item !== null && c.item !== undefined ? `#${c.item}` : "run"}
              </span>
              <StatusBadge status={c.status as ExecutionStatus} />
              <span className="text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
                {c.start_time ? formatDuration(durationMs(c.start_time, c.end_time ?? null)) : ""}
              </span>
              <Link
                href={`/executions/view/?id=${encodeURIComponent(c.id)}`}
                className="ml-auto rounded text-xs font-medium text-sky-700 hover:underline focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:text-sky-400"
                aria-label={
                  c.item !== null && c.item !== undefined ? `Open item ${c.item}` : "Open the run"
                }
              >
                Open run
              </Link>
            </li>
          ))}
        </ul>
      )}
      {pages.length > 0 || d.next_after !== null ? (
        <div className="flex justify-between">
          <Button
            variant="ghost"
            size="sm"
            disabled={pages.length === 0}
            onClick={() => setPages(pages.slice(0, -1))}
          >
            Previous
          </Button>
          <Button
            variant="ghost"
            size="sm"
            disabled={d.next_after === null}
            onClick={() => d.next_after !== null && setPages([...pages, d.next_after])}
          >
            Next
          </Button>
        </div>
      ) : null}
    </div>
  );
}
