"use client";

import { useWorkflows, type Execution, type WorkflowSummary } from "@/api";

import { EmptyState } from "./EmptyState";
import { ProblemAlert } from "./ProblemAlert";
import { WorkflowListSkeleton } from "./WorkflowListSkeleton";
import { WorkflowRow } from "./WorkflowRow";

export interface WorkflowListProps {
  /** Id of the workflow whose run form is open, if any. */
  openFormId: string | null;
  onToggleForm: (workflowId: string) => void;
  onStarted: (execution: Execution, workflow: WorkflowSummary) => void;
}

/** The workflow list with its loading, error and empty states. */
export function WorkflowList({ openFormId, onToggleForm, onStarted }: WorkflowListProps) {
  const workflows = useWorkflows();

  if (workflows.isPending) return <WorkflowListSkeleton />;
  if (workflows.isError) {
    return (
      <div className="p-5">
        <ProblemAlert
          error={workflows.error}
          context="Could not load workflows"
          onRetry={() => void workflows.refetch()}
        />
      </div>
    );
  }
  const items = workflows.data.items;
  if (items.length === 0) return <EmptyState />;

  return (
    <>
      <ul
        aria-labelledby="workflows-heading"
        className="divide-y divide-zinc-200 dark:divide-zinc-800"
      >
        {items.map((wf) => (
          <WorkflowRow
            key={wf.id}
            workflow={wf}
            formOpen={openFormId === wf.id}
            onToggleForm={() => onToggleForm(wf.id)}
            onStarted={(ex) => onStarted(ex, wf)}
          />
        ))}
      </ul>
      {workflows.data.next_cursor !== null ? (
        <p className="border-t border-zinc-200 px-5 py-3 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
          Showing the first {items.length} workflows.
        </p>
      ) : null}
    </>
  );
}
