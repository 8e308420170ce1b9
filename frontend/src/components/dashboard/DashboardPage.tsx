"use client";

import Link from "next/link";
import { useMemo } from "react";

import {
  COUNT_LIMIT,
  useAgents,
  useCanEdit,
  useExecutionCounts,
  useExecutionList,
  useWorkflows,
} from "@/api";

import { ExecutionTable } from "../executions/ExecutionTable";
import { ListView } from "../list/ListView";
import { PageHeader } from "../PageHeader";
import { ProblemAlert } from "../ProblemAlert";
import { STATUS_STYLES } from "../StatusBadge";
import { ButtonLink } from "../ui/ButtonLink";
import { GettingStarted } from "./GettingStarted";
import { StatCard } from "./StatCard";
import { UsageSection } from "./UsageSection";

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
  const recent = useExecutionList({}, 10);
  const names = useMemo(
    () => new Map((workflows.data?.items ?? []).map((w) => [w.id, w.name])),
    [workflows.data],
  );
  const fresh =
    agents.data?.items.length === 0 &&
    workflows.data?.items.length === 0 &&
    !recent.pending &&
    recent.items.length === 0;
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
      {fresh ? null : <UsageSection />}
      <ListView
        label="Recent executions"
        list={recent}
        noun={["execution", "executions"]}
        paged={false}
        skeletonRows={4}
        header={
          <div className="flex items-center justify-between border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
            <h2 className="text-sm font-semibold">Recent executions</h2>
            <Link
              href="/executions/"
              className="rounded-sm text-sm font-medium text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:text-indigo-400"
            >
              All executions
            </Link>
          </div>
        }
        empty={{
          title: "Nothing has run yet",
          body: (
            <>
              Open a workflow and press <strong>Run</strong>; its execution appears here and you can
              watch each step live.
            </>
          ),
          action: canEdit ? (
            <ButtonLink href="/workflows/" variant="secondary" size="sm">
              Go to workflows
            </ButtonLink>
          ) : undefined,
        }}
      >
        {(items) => (
          <ExecutionTable items={items} workflowNames={names} label="Recent executions" />
        )}
      </ListView>
    </div>
  );
}
