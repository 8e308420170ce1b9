"use client";

import { useState } from "react";

import { useCreateWorkflow, type Execution } from "@/api";
import { sampleWorkflow } from "@/lib/sampleWorkflow";

import { CreateSampleButton } from "./CreateSampleButton";
import { ExecutionPanel } from "./ExecutionPanel";
import { ExecutionPlaceholder } from "./ExecutionPlaceholder";
import { ProblemAlert } from "./ProblemAlert";
import { WorkflowList } from "./WorkflowList";

interface ActiveRun {
  execution: Execution;
  workflowName: string;
}

/** The home page: workflows on one side, the live run on the other. */
export function WorkflowsPage() {
  const [openFormId, setOpenFormId] = useState<string | null>(null);
  const [run, setRun] = useState<ActiveRun | null>(null);
  const create = useCreateWorkflow();

  return (
    <>
      <div className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Workflows</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Create a workflow, run it, and follow every step as it happens.
          </p>
        </div>
        <CreateSampleButton
          creating={create.isPending}
          onCreate={() => create.mutate(sampleWorkflow)}
        />
      </div>

      {create.isError ? (
        <div className="mt-4">
          <ProblemAlert
            error={create.error}
            context="Could not create the sample workflow"
            onRetry={() => create.mutate(sampleWorkflow)}
          />
        </div>
      ) : null}

      <div className="mt-6 grid items-start gap-6 lg:grid-cols-2">
        <section
          aria-labelledby="workflows-heading"
          className="overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
        >
          <h2
            id="workflows-heading"
            className="border-b border-zinc-200 px-5 py-3 text-sm font-semibold text-zinc-700 dark:border-zinc-800 dark:text-zinc-300"
          >
            Your workflows
          </h2>
          <WorkflowList
            openFormId={openFormId}
            onToggleForm={(id) => setOpenFormId((cur) => (cur === id ? null : id))}
            onStarted={(execution, wf) => {
              setOpenFormId(null);
              setRun({ execution, workflowName: wf.name });
            }}
          />
        </section>

        {run === null ? (
          <ExecutionPlaceholder />
        ) : (
          <ExecutionPanel
            key={run.execution.id}
            execution={run.execution}
            workflowName={run.workflowName}
            onClose={() => setRun(null)}
          />
        )}
      </div>
    </>
  );
}
