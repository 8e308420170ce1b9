"use client";

// The replays of a run, listed in its run view (nothing when it has none).

import Link from "next/link";

import { useReplays } from "@/api";
import { formatDateTime, formatRelative } from "@/lib/format";

import { ProblemAlert } from "../ProblemAlert";
import { StatusBadge } from "../StatusBadge";
import { Card } from "../ui/Card";
import { useNow } from "./useNow";

/** The replays of run "executionId", newest first, each with its status and a link. */
export function ReplayList({ executionId }: { executionId: string }) {
  const q = useReplays(executionId);
  const now = Date.parse(useNow(false));
  if (q.isError) {
    return (
      <div className="m-3">
        <ProblemAlert
          error={q.error}
          context="Could not load the replays of this run"
          onRetry={() => void q.refetch()}
        />
      </div>
    );
  }
  // Only runs that name this one: an API without the filter would answer every run.
  const items = (q.data?.items ?? []).filter((r) => r.replay_of === executionId);
  if (items.length === 0) return null;
  return (
    <Card className="m-3 shrink-0 overflow-hidden" aria-labelledby="replays-heading">
      <h2
        id="replays-heading"
        className="border-b border-zinc-200 px-4 py-2 text-sm font-semibold dark:border-zinc-800"
      >
        Replays
        <span className="ml-1.5 font-normal text-zinc-500 tabular-nums dark:text-zinc-400">
          {items.length}
          {q.data?.next_cursor ? "+" : ""}
        </span>
      </h2>
      <ul
        aria-label="Replays"
        className="max-h-48 divide-y divide-zinc-100 overflow-y-auto dark:divide-zinc-800"
      >
        {items.map((r) => (
          <li key={r.id} className="flex items-center gap-3 px-4 py-2 text-sm">
            <StatusBadge status={r.status} />
            <span className="min-w-0 flex-1 truncate text-xs text-zinc-600 dark:text-zinc-400">
              {r.replay?.from_node ? (
                <>
                  from <span className="font-mono">{r.replay.from_node}</span>
                </>
              ) : (
                "exact"
              )}
              {r.replay?.offline ? " · offline" : ""} ·{" "}
              <time dateTime={r.created_at} title={formatDateTime(r.created_at)}>
                {formatRelative(r.created_at, now)}
              </time>
            </span>
            <Link
              href={`/executions/view/?id=${encodeURIComponent(r.id)}`}
              aria-label={`Open replay ${r.id}`}
              className="rounded text-xs font-medium text-sky-700 hover:underline focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:text-sky-400"
            >
              Open
            </Link>
          </li>
        ))}
      </ul>
    </Card>
  );
}
