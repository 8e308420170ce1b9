"use client";

import Link from "next/link";
import { useMemo } from "react";

import {
  COUNT_LIMIT,
  useAgents,
  useCanEdit,
  useExecutionCounts,
  useExecutions,
  useWorkflows,
} from "@/api";

import { EmptyState } from "../EmptyState";
import { ExecutionTable } from "../executions/ExecutionTable";
import { TableSkeleton } from "../executions/TableSkeleton";
import { PageHeader } from "../PageHeader";
import { ProblemAlert } from "../ProblemAlert";
import { STATUS_STYLES } from "../StatusBadge";
import { Card } from "../ui/Card";
import { GettingStarted } from "./GettingStarted";
import { StatCard } from "./StatCard";

function count(n: number | undefined, more: boolean): string {
  if (n === undefined) return "—";
  return more ? `${COUNT_LIMIT}+` : String(n);
}

/** Counts of agents, workflows and executions by status, and the latest runs. */
export function DashboardPage() {
  const canEdit = useCanEdit();
  const agents = useAgents();
  const workflows = useWorkflows();
  const counts = useExecutionCounts();
  const recent = useExecutions({}, 10);
  const names = useMemo(
    () => new Map((workflows.data?.items ?? []).map((w) => [w.id, w.name])),
    [workflows.data],
  );
  const recentItems = recent.data?.pages[0]?.items ?? [];
  const fresh =
    agents.data?.items.length === 0 &&
    workflows.data?.items.length === 0 &&
    !recent.isPending &&
    recentItems.length === 0;
  const total = counts.counts.reduce((a, c) => a + c.count, 0);

  return (
    <div className="mx-auto max-w-6xl space-y-6 p-6">
      <PageHeader title="Dashboard" description="Your agents, workflows and what ran lately." />
      {fresh ? <GettingStarted canEdit={canEdit} /> : null}
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-3">
        <StatCard
          label="Agents"
          href="/agents/"
          loading={agents.isPending}
          value={count(agents.data?.items.length, agents.data?.next_cursor != null)}
        />
        <StatCard
          label="Workflows"
          href="/workflows/"
          loading={workflows.isPending}
          value={count(workflows.data?.items.length, workflows.data?.next_cursor != null)}
        />
        <StatCard
          label="Executions"
          href="/executions/"
          loading={counts.isPending}
          value={String(total)}
        >
          <ul className="mt-2 flex flex-wrap gap-1.5" aria-label="Executions by status">
            {counts.counts.map((c) => (
              <li
                key={c.status}
                className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS_STYLES[c.status].className}`}
              >
                {STATUS_STYLES[c.status].label} {count(c.count, c.more)}
              </li>
            ))}
          </ul>
        </StatCard>
      </div>
      {counts.error !== null ? (
        <ProblemAlert error={counts.error} context="Could not count executions" />
      ) : null}
      <Card aria-labelledby="recent-heading">
        <div className="flex items-center justify-between border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
          <h2 id="recent-heading" className="text-sm font-semibold">
            Recent executions
          </h2>
          <Link
            href="/executions/"
            className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400"
          >
            All executions
          </Link>
        </div>
        {recent.isPending ? (
          <TableSkeleton rows={4} />
        ) : recent.isError ? (
          <div className="p-4">
            <ProblemAlert
              error={recent.error}
              context="Could not load executions"
              onRetry={() => void recent.refetch()}
            />
          </div>
        ) : recentItems.length === 0 ? (
          <EmptyState
            title="Nothing has run yet"
            action={
              canEdit ? (
                <Link
                  href="/workflows/"
                  className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400"
                >
                  Go to workflows
                </Link>
              ) : undefined
            }
          >
            Open a workflow and press <strong>Run</strong>; its execution appears here and you can
            watch each step live.
          </EmptyState>
        ) : (
          <ExecutionTable items={recentItems} workflowNames={names} label="Recent executions" />
        )}
      </Card>
    </div>
  );
}
