"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";

import { EXECUTION_STATUSES, useExecutions, useWorkflows, type ExecutionStatus } from "@/api";

import { EmptyState } from "../EmptyState";
import { PageHeader } from "../PageHeader";
import { ProblemAlert } from "../ProblemAlert";
import { STATUS_STYLES } from "../StatusBadge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Label } from "../ui/Label";
import { Select } from "../ui/Select";
import { ExecutionTable } from "./ExecutionTable";
import { TableSkeleton } from "./TableSkeleton";

/** Every execution, newest first, filtered by status and workflow (kept in the address). */
export function ExecutionsPage() {
  const params = useSearchParams();
  const router = useRouter();
  const rawStatus = params.get("status") ?? "";
  const status = (EXECUTION_STATUSES as readonly string[]).includes(rawStatus)
    ? (rawStatus as ExecutionStatus)
    : "";
  const workflowId = params.get("workflow_id") ?? "";
  const workflows = useWorkflows();
  const list = useExecutions({ status, workflow_id: workflowId });
  const names = useMemo(
    () => new Map((workflows.data?.items ?? []).map((w) => [w.id, w.name])),
    [workflows.data],
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params.toString());
    if (value === "") next.delete(key);
    else next.set(key, value);
    const qs = next.toString();
    router.replace(`/executions/${qs === "" ? "" : `?${qs}`}`);
  };

  return (
    <div className="mx-auto max-w-6xl space-y-6 p-6">
      <PageHeader
        title="Executions"
        description="Every run, newest first. Open one to see its steps."
      />
      <div className="flex flex-wrap items-end gap-4">
        <div className="w-48 space-y-1.5">
          <Label htmlFor="filter-status">Status</Label>
          <Select
            id="filter-status"
            value={status}
            onChange={(v) => setFilter("status", v)}
            options={[
              { value: "", label: "Any status" },
              ...EXECUTION_STATUSES.map((s) => ({ value: s, label: STATUS_STYLES[s].label })),
            ]}
          />
        </div>
        <div className="w-64 space-y-1.5">
          <Label htmlFor="filter-workflow">Workflow</Label>
          <Select
            id="filter-workflow"
            value={workflowId}
            onChange={(v) => setFilter("workflow_id", v)}
            options={[
              { value: "", label: "Any workflow" },
              ...(workflows.data?.items ?? []).map((w) => ({ value: w.id, label: w.name })),
            ]}
          />
        </div>
      </div>
      <Card aria-label="Execution list">
        {list.isPending ? (
          <TableSkeleton />
        ) : list.isError ? (
          <div className="p-4">
            <ProblemAlert
              error={list.error}
              context="Could not load executions"
              onRetry={() => void list.refetch()}
            />
          </div>
        ) : items.length === 0 ? (
          <EmptyState title="No executions">
            {status !== "" || workflowId !== ""
              ? "Nothing matches these filters."
              : "Runs appear here once a workflow is started from its editor."}
          </EmptyState>
        ) : (
          <>
            <ExecutionTable items={items} workflowNames={names} label="Executions" />
            {list.hasNextPage ? (
              <div className="border-t border-zinc-200 p-3 text-center dark:border-zinc-800">
                <Button
                  variant="secondary"
                  size="sm"
                  loading={list.isFetchingNextPage}
                  onClick={() => void list.fetchNextPage()}
                >
                  Load more
                </Button>
              </div>
            ) : null}
          </>
        )}
      </Card>
    </div>
  );
}
