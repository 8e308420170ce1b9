"use client";

import { useId, useRef } from "react";

import type { Execution, WorkflowSummary } from "@/api";
import { formatDateTime } from "@/lib/format";

import { Button } from "./Button";
import { RunForm } from "./RunForm";

export interface WorkflowRowProps {
  workflow: WorkflowSummary;
  formOpen: boolean;
  onToggleForm: () => void;
  onStarted: (execution: Execution) => void;
}

/** One workflow in the list: name, description, version, creation date and a Run action. */
export function WorkflowRow({ workflow, formOpen, onToggleForm, onStarted }: WorkflowRowProps) {
  const formId = useId();
  const titleId = useId();
  const runButtonRef = useRef<HTMLButtonElement>(null);

  function cancelForm() {
    onToggleForm();
    runButtonRef.current?.focus();
  }
  const description = workflow.description?.trim() ?? "";

  return (
    <li id={`workflow-${workflow.id}`} aria-labelledby={titleId} className="px-5 py-4">
      <div className="flex items-start justify-between gap-4">
        <div className="min-w-0 space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            <h3 id={titleId} className="truncate text-sm font-semibold">
              {workflow.name}
            </h3>
            <span className="rounded-md bg-zinc-100 px-1.5 py-0.5 text-xs font-medium text-zinc-600 ring-1 ring-zinc-200 ring-inset dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700">
              <span className="sr-only">version </span>v{workflow.version}
            </span>
          </div>
          {description !== "" ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">{description}</p>
          ) : (
            <p className="text-sm text-zinc-400 italic dark:text-zinc-500">No description</p>
          )}
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            Created{" "}
            <time dateTime={workflow.created_at}>{formatDateTime(workflow.created_at)}</time>
          </p>
        </div>
        <Button
          ref={runButtonRef}
          variant={formOpen ? "secondary" : "primary"}
          size="sm"
          onClick={onToggleForm}
          aria-expanded={formOpen}
          aria-controls={formOpen ? formId : undefined}
          aria-label={`Run ${workflow.name}`}
        >
          <svg className="size-3.5" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
            <path d="M6.3 2.84A1.5 1.5 0 0 0 4 4.11v11.78a1.5 1.5 0 0 0 2.3 1.27l9.34-5.89a1.5 1.5 0 0 0 0-2.54L6.3 2.84Z" />
          </svg>
          Run
        </Button>
      </div>
      {formOpen ? (
        <RunForm id={formId} workflow={workflow} onStarted={onStarted} onCancel={cancelForm} />
      ) : null}
    </li>
  );
}
