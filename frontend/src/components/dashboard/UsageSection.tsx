"use client";

import dynamic from "next/dynamic";
import { useState, type ReactNode } from "react";

import { useMe, useUsageFailing, useUsageModels, useUsageRuns, type UsageRange } from "@/api";

import { EmptyState } from "../EmptyState";
import { ProblemAlert } from "../ProblemAlert";
import { Card } from "../ui/Card";
import { Skeleton } from "../ui/Skeleton";
import { FailingWorkflows } from "./FailingWorkflows";
import { ModelUsageTable } from "./ModelUsageTable";
import { RangeSwitch } from "./RangeSwitch";
import { formatDuration } from "./usageFormat";

// The chart measures its box in the browser: it is not part of the static HTML.
const RunsChart = dynamic(() => import("./RunsChart").then((m) => m.RunsChart), {
  ssr: false,
  loading: () => <Skeleton className="h-72 w-full" />,
});

/** A titled card of the usage section. */
function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card aria-label={title}>
      <h3 className="border-b border-zinc-200 px-4 py-3 text-sm font-semibold dark:border-zinc-800">
        {title}
      </h3>
      <div className="p-4">{children}</div>
    </Card>
  );
}

/** Loading, error (with retry) or the content of one query. */
function QueryState<T>({
  q,
  what,
  skeleton,
  children,
}: {
  q: { data: T | undefined; error: Error | null; refetch: () => unknown };
  what: string;
  skeleton: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (q.data !== undefined) return <>{children(q.data)}</>;
  if (q.error !== null)
    return (
      <ProblemAlert
        error={q.error}
        context={`Could not load ${what}`}
        onRetry={() => void q.refetch()}
      />
    );
  return (
    <div role="status" aria-busy="true">
      <span className="sr-only">Loading {what}…</span>
      {skeleton}
    </div>
  );
}

/** One figure of the totals line. */
function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-xs text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums">{value}</dd>
    </div>
  );
}

/** Usage at a glance: runs per hour by status with p50/p95 durations, tokens and cost per
 * model, and the workflows that fail most, over the last 24 hours or 7 days. */
export function UsageSection() {
  const [range, setRange] = useState<UsageRange>("24h");
  const admin = useMe().data?.role === "admin";
  const runs = useUsageRuns(range);
  const models = useUsageModels(range);
  const failing = useUsageFailing(range);
  const span = range === "24h" ? "the last 24 hours" : "the last 7 days";

  return (
    <section aria-labelledby="usage-title" className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id="usage-title" className="text-base font-semibold">
            Usage
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {admin ? "Everyone's runs" : "Your runs"} over {span}, by the hour they ended.
          </p>
        </div>
        <RangeSwitch value={range} onChange={setRange} />
      </div>
      <Panel title="Runs per hour">
        <QueryState q={runs} what="the runs" skeleton={<Skeleton className="h-80 w-full" />}>
          {(d) =>
            d.totals.runs === 0 ? (
              <EmptyState title="No runs in this range">
                Runs appear here once they end: started, finished or cancelled within {span}.
              </EmptyState>
            ) : (
              <>
                <dl className="mb-4 grid grid-cols-3 gap-4 sm:grid-cols-6">
                  <Figure label="Runs" value={String(d.totals.runs)} />
                  <Figure label="Succeeded" value={String(d.totals.succeeded)} />
                  <Figure label="Failed" value={String(d.totals.failed)} />
                  <Figure label="Cancelled" value={String(d.totals.cancelled)} />
                  <Figure label="p50 duration" value={formatDuration(d.totals.p50_ms)} />
                  <Figure label="p95 duration" value={formatDuration(d.totals.p95_ms)} />
                </dl>
                <RunsChart buckets={d.buckets} week={range === "7d"} />
              </>
            )
          }
        </QueryState>
      </Panel>
      <div className="grid gap-4 lg:grid-cols-5">
        <div className="lg:col-span-3">
          <Panel title="Tokens and cost per model">
            <QueryState
              q={models}
              what="the model usage"
              skeleton={<Skeleton className="h-32 w-full" />}
            >
              {(d) =>
                d.items.length === 0 ? (
                  <EmptyState title="No model calls in this range">
                    Agents&apos; calls to their models are counted here with their tokens.
                  </EmptyState>
                ) : (
                  <ModelUsageTable data={d} admin={admin} />
                )
              }
            </QueryState>
          </Panel>
        </div>
        <div className="lg:col-span-2">
          <Panel title="Top failing workflows">
            <QueryState
              q={failing}
              what="the failing workflows"
              skeleton={<Skeleton className="h-32 w-full" />}
            >
              {(d) =>
                d.items.length === 0 ? (
                  <EmptyState title="No failed runs in this range">
                    Nothing to look into.
                  </EmptyState>
                ) : (
                  <FailingWorkflows data={d} />
                )
              }
            </QueryState>
          </Panel>
        </div>
      </div>
    </section>
  );
}
