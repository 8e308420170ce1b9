"use client";

import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";

import { useStartExecution, type Execution, type WorkflowSummary } from "@/api";
import { SAMPLE_INPUT_FIELD } from "@/lib/sampleWorkflow";

import { Button } from "./Button";
import { ProblemAlert } from "./ProblemAlert";

export interface RunFormProps {
  id: string;
  workflow: WorkflowSummary;
  onStarted: (execution: Execution) => void;
  onCancel: () => void;
}

/** Inline form that asks for the run's input and starts an execution. */
export function RunForm({ id, workflow, onStarted, onCancel }: RunFormProps) {
  const inputId = useId();
  const hintId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [name, setName] = useState("");
  const start = useStartExecution();

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    start.mutate(
      { workflowId: workflow.id, inputs: { [SAMPLE_INPUT_FIELD]: name.trim() } },
      { onSuccess: onStarted },
    );
  }

  function onKeyDown(e: KeyboardEvent<HTMLFormElement>) {
    if (e.key === "Escape" && !start.isPending) {
      e.stopPropagation();
      onCancel();
    }
  }

  return (
    <form
      id={id}
      onSubmit={submit}
      onKeyDown={onKeyDown}
      aria-label={`Start a run of ${workflow.name}`}
      className="mt-4 space-y-3 rounded-lg border border-zinc-200 bg-zinc-50 p-4 dark:border-zinc-800 dark:bg-zinc-950/40"
    >
      <div className="space-y-1">
        <label htmlFor={inputId} className="block text-sm font-medium">
          Name
        </label>
        <input
          ref={inputRef}
          id={inputId}
          type="text"
          required
          maxLength={200}
          autoComplete="off"
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-describedby={hintId}
          placeholder="Ada"
          className="block h-10 w-full rounded-lg border border-zinc-300 bg-white px-3 text-sm shadow-sm placeholder:text-zinc-400 focus-visible:border-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-indigo-500/40 dark:border-zinc-700 dark:bg-zinc-900 dark:placeholder:text-zinc-500"
        />
        <p id={hintId} className="text-xs text-zinc-500 dark:text-zinc-400">
          Sent as <code className="font-mono">inputs.{SAMPLE_INPUT_FIELD}</code>.
        </p>
      </div>
      {start.isError ? (
        <ProblemAlert error={start.error} context="Could not start the run" />
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" size="sm" loading={start.isPending} disabled={name.trim() === ""}>
          Start run
        </Button>
        <Button variant="secondary" size="sm" onClick={onCancel} disabled={start.isPending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
