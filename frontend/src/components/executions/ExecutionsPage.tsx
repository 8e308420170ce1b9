"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";

import {
  EXECUTION_STATUSES,
  EXECUTION_TRIGGERS,
  useCanEdit,
  useExecutionList,
  useWorkflows,
  type ExecutionStatus,
  type ExecutionTrigger,
} from "@/api";

import { ListView } from "../list/ListView";
import { PageHeader } from "../PageHeader";
import { STATUS_STYLES } from "../StatusBadge";
import { ButtonLink } from "../ui/ButtonLink";
import { Label } from "../ui/Label";
import { Select } from "../ui/Select";
import { DeleteMatchingRuns } from "./DeleteMatchingRuns";
import { ExecutionTable } from "./ExecutionTable";
import { TRIGGER_STYLES } from "./TriggerBadge";

/** Every execution, newest first, filtered by status, trigger and workflow (kept in the address). */
export function ExecutionsPage() {
  const params = useSearchParams();
  const router = useRouter();
  const rawStatus = params.get("status") ?? "";
  const status = (EXECUTION_STATUSES as readonly string[]).includes(rawStatus)
    ? (rawStatus as ExecutionStatus)
    : "";
  const rawTrigger = params.get("trigger") ?? "";
  const trigger = (EXECUTION_TRIGGERS as readonly string[]).includes(rawTrigger)
    ? (rawTrigger as ExecutionTrigger)
    : "";
  const workflowId = params.get("workflow_id") ?? "";
  const workflows = useWorkflows();
  const canEdit = useCanEdit();
  // Runs started by other runs (a map's items, sub-workflows, tools) are listed under their
  // parent's run, or here when their trigger is chosen: a map alone can start thousands.
  const children = trigger === "tool" || trigger === "workflow";
  const list = useExecutionList({
    status: status === "" ? undefined : status,
    trigger: trigger === "" ? undefined : trigger,
    workflow_id: workflowId === "" ? undefined : workflowId,
    parent: children ? undefined : "none",
  });
  const names = useMemo(
    () => new Map((workflows.data?.items ?? []).map((w) => [w.id, w.name])),
    [workflows.data],
  );

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
        description="Every run, newest first. Open one to see its steps; the runs it started are listed in it (or here, by their trigger: Tool, Workflow)."
      />
      <ListView
        label="Execution list"
        list={list}
        noun={["execution", "executions"]}
        filtered={status !== "" || trigger !== "" || workflowId !== ""}
        noMatch={{ title: "No executions", body: "Nothing matches these filters." }}
        empty={{
          title: "No executions",
          body: "Runs appear here once a workflow is started from its editor.",
          action: canEdit ? (
            <ButtonLink href="/workflows/" variant="secondary" size="sm">
              Go to workflows
            </ButtonLink>
          ) : undefined,
        }}
        filters={
          <>
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
            <div className="w-44 space-y-1.5">
              <Label htmlFor="filter-trigger">Trigger</Label>
              <Select
                id="filter-trigger"
                value={trigger}
                onChange={(v) => setFilter("trigger", v)}
                options={[
                  { value: "", label: "Any trigger" },
                  ...EXECUTION_TRIGGERS.map((t) => ({ value: t, label: TRIGGER_STYLES[t].label })),
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
            {canEdit ? (
              <div className="flex items-end">
                <DeleteMatchingRuns
                  status={status}
                  trigger={trigger}
                  workflowId={workflowId}
                  workflowName={names.get(workflowId)}
                />
              </div>
            ) : null}
          </>
        }
      >
        {(items) => <ExecutionTable items={items} workflowNames={names} label="Executions" />}
      </ListView>
    </div>
  );
}
