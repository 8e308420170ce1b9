"use client";

import { useEffect, useRef } from "react";

import { isTerminalEvent, useExecution, useExecutionEvents, type Execution } from "@/api";
import { statusFromEvents } from "@/lib/status";

import { Button } from "./Button";
import { EventList } from "./EventList";
import { JsonBlock } from "./JsonBlock";
import { ProblemAlert } from "./ProblemAlert";
import { Spinner } from "./Spinner";
import { StatusBadge } from "./StatusBadge";
import { StepList } from "./StepList";

export interface ExecutionPanelProps {
  /** The execution as POST /executions answered (status queued). */
  execution: Execution;
  workflowName: string;
  onClose: () => void;
}

/**
 * Follows one execution live: streams its events, shows the status, and once a
 * terminal event arrived fetches the execution again to show its results.
 */
export function ExecutionPanel({ execution, workflowName, onClose }: ExecutionPanelProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const stream = useExecutionEvents(execution.id);
  const events = stream.data ?? [];
  const finished = events.some((e) => isTerminalEvent(e.type));
  // The stream failing is another reason to ask the server where the run stands.
  const final = useExecution(execution.id, {
    enabled: finished || stream.isError,
    ended: finished,
  });
  const serverEnded =
    final.data !== undefined && final.data.status !== "queued" && final.data.status !== "running";
  const showResults = finished || serverEnded;

  const status = final.data?.status ?? statusFromEvents(events, execution.status);
  // A new run takes the focus, so keyboard and screen reader users land on it.
  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const listening = stream.fetchStatus === "fetching" && !finished;

  return (
    <section
      aria-labelledby="execution-heading"
      className="rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <header className="flex items-start justify-between gap-4 border-b border-zinc-200 px-5 py-4 dark:border-zinc-800">
        <div className="min-w-0 space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            <h2
              id="execution-heading"
              ref={headingRef}
              tabIndex={-1}
              className="rounded text-base font-semibold focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
            >
              Execution
            </h2>
            <StatusBadge status={status} />
          </div>
          <p className="truncate text-sm text-zinc-600 dark:text-zinc-400">{workflowName}</p>
          <p className="truncate font-mono text-xs text-zinc-500 dark:text-zinc-500">
            <span className="sr-only">Execution id </span>
            {execution.id}
          </p>
        </div>
        <Button variant="ghost" size="sm" onClick={onClose} aria-label="Close execution panel">
          <svg className="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
            <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
          </svg>
        </Button>
      </header>

      <div className="space-y-5 px-5 py-4">
        <div>
          <h3 className="mb-1 text-sm font-semibold text-zinc-700 dark:text-zinc-300">Events</h3>
          {events.length > 0 ? <EventList events={events} /> : null}
          {listening ? (
            <p className="flex items-center gap-2 py-2 text-sm text-zinc-500 dark:text-zinc-400">
              <Spinner />
              {events.length === 0 ? "Waiting for the run to start…" : "Listening for events…"}
            </p>
          ) : null}
          {stream.isError ? (
            <div className="mt-2">
              <ProblemAlert
                error={stream.error}
                context="Lost the live event stream"
                onRetry={() => void stream.refetch()}
                retryLabel="Reconnect"
              />
            </div>
          ) : null}
        </div>

        {showResults ? (
          <div className="space-y-4">
            {final.isPending ? (
              <p className="flex items-center gap-2 text-sm text-zinc-500 dark:text-zinc-400">
                <Spinner />
                Fetching results…
              </p>
            ) : null}
            {final.isError ? (
              <ProblemAlert
                error={final.error}
                context="Could not load the results"
                onRetry={() => void final.refetch()}
              />
            ) : null}
            {final.data !== undefined ? (
              <>
                <section aria-labelledby="results-heading">
                  <h3
                    id="results-heading"
                    className="mb-1.5 text-sm font-semibold text-zinc-700 dark:text-zinc-300"
                  >
                    Results
                  </h3>
                  {final.data.results === null ? (
                    <p className="text-sm text-zinc-500 dark:text-zinc-400">
                      This run returned no results.
                    </p>
                  ) : (
                    <JsonBlock value={final.data.results} label="Results" />
                  )}
                </section>
                {final.data.error !== null && final.data.error !== undefined ? (
                  <section aria-labelledby="error-heading">
                    <h3
                      id="error-heading"
                      className="mb-1.5 text-sm font-semibold text-red-700 dark:text-red-300"
                    >
                      Error
                    </h3>
                    <JsonBlock value={final.data.error} label="Error" />
                  </section>
                ) : null}
                {final.data.steps !== undefined && final.data.steps.length > 0 ? (
                  <section aria-labelledby="steps-heading">
                    <h3
                      id="steps-heading"
                      className="mb-1 text-sm font-semibold text-zinc-700 dark:text-zinc-300"
                    >
                      Steps
                    </h3>
                    <StepList steps={final.data.steps} />
                  </section>
                ) : null}
              </>
            ) : null}
          </div>
        ) : null}
      </div>
    </section>
  );
}
