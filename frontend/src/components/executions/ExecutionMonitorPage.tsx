"use client";

import { ReactFlowProvider } from "@xyflow/react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";

import {
  toProblem,
  useCancelExecution,
  useCanEdit,
  useDeleteExecution,
  useExecution,
  useExecutionEvents,
  useReplayDiff,
  useRetryExecution,
  useWorkflow,
  type JsonObject,
} from "@/api";
import { usageText, type RunUsage } from "@/lib/budget";
import { formatDateTime } from "@/lib/format";
import { countDiffering, replayMarks } from "@/lib/replay";
import {
  deriveNodeStates,
  durationMs,
  effectiveStatus,
  formatDuration,
  isFinished,
} from "@/lib/runState";
import { toast } from "@/store/toastStore";

import { RunApprovals } from "../approvals/RunApprovals";
import { JsonBlock } from "../JsonBlock";
import { ProblemAlert } from "../ProblemAlert";
import { StatusBadge } from "../StatusBadge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { Skeleton } from "../ui/Skeleton";
import { ChildRuns } from "./ChildRuns";
import { ReplayBanner } from "./ReplayBanner";
import { ReplayButton } from "./ReplayButton";
import { ReplayCompare } from "./ReplayCompare";
import { ReplayDialog } from "./ReplayDialog";
import { ReplayList } from "./ReplayList";
import { RunGraph } from "./RunGraph";
import { StepDetail } from "./StepDetail";
import { StepTimeline } from "./StepTimeline";
import { TraceId } from "./TraceId";
import { TriggerBadge } from "./TriggerBadge";
import { useNow } from "./useNow";

/** One execution, live: the graph coloured by status, the timeline, each step's data. */
export function ExecutionMonitorPage() {
  const params = useSearchParams();
  const router = useRouter();
  const id = params.get("id");
  const canEdit = useCanEdit();
  const exec = useExecution(id);
  const attempt = exec.data?.attempt ?? 1;
  const events = useExecutionEvents(exec.data !== undefined ? id : null, attempt);
  const wf = useWorkflow(exec.data?.workflow_id || null);
  const cancel = useCancelExecution();
  const retry = useRetryExecution();
  const del = useDeleteExecution();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [picked, setPicked] = useState<string | null>(null);
  const [replayFrom, setReplayFrom] = useState<string | null>(null);
  // A replay: the run it replays, and how each node compares with it.
  const replayOf = exec.data?.replay_of ?? null;
  const original = useExecution(replayOf);

  const definition = wf.data?.definition;
  const evs = useMemo(() => events.data ?? [], [events.data]);
  const status = effectiveStatus(exec.data, evs);
  const finished = isFinished(status);
  const states = useMemo(
    () => deriveNodeStates(definition?.nodes.map((n) => n.id) ?? [], exec.data, evs),
    [definition, exec.data, evs],
  );
  // A replay's diff is read again as its steps end, and once more when it ends.
  const stepsEnded = evs.filter(
    (e) => e.type === "node.completed" || e.type === "node.failed",
  ).length;
  const diff = useReplayDiff(replayOf !== null ? id : null, `${status}:${stepsEnded}`);
  const marks = useMemo(() => replayMarks(diff.data), [diff.data]);
  const originalStates = useMemo(
    () => deriveNodeStates(definition?.nodes.map((n) => n.id) ?? [], original.data, []),
    [definition, original.data],
  );
  const now = useNow(!finished);
  const usage = useMemo(() => {
    const last = [...evs].reverse().find((e) => e.type === "execution.usage");
    return last !== undefined ? (last.data as unknown as RunUsage) : null;
  }, [evs]);
  // Events after which the run's approval requests are read again.
  const approvalSignal = useMemo(
    () =>
      evs.filter(
        (e) =>
          e.type === "node.waiting" ||
          e.type === "approval.answered" ||
          e.type === "execution.waiting",
      ).length,
    [evs],
  );

  // The terminal event arrived: fetch the run again for its steps and results.
  const { refetch } = exec;
  const stale = finished && exec.data !== undefined && !isFinished(exec.data.status);
  useEffect(() => {
    if (stale) void refetch();
  }, [stale, refetch]);

  if (id === null) {
    return (
      <div className="p-6">
        <ProblemAlert
          error={new Error("No execution id in the address.")}
          context="Nothing to show"
        />
      </div>
    );
  }
  if (exec.isError) {
    return (
      <div className="p-6">
        <ProblemAlert
          error={exec.error}
          context="Could not load the execution"
          onRetry={() => void exec.refetch()}
        />
      </div>
    );
  }
  const ex = exec.data;
  const failedNode = Object.entries(states).find(([, s]) => s.status === "failed")?.[0] ?? null;
  const selected = picked ?? failedNode;
  const selectedState = selected !== null ? states[selected] : undefined;
  const selectedType = definition?.nodes.find((n) => n.id === selected)?.type;
  const startsRuns = selectedType === "map" || selectedType === "sub_workflow";
  // Ended as last fetched, not only by the events: what a replay starts from is recorded.
  const ended = ex !== undefined && finished && ex.status === status;

  return (
    <div className="flex h-[calc(100vh-3.5rem)] flex-col">
      <div className="flex flex-wrap items-center gap-3 border-b border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900">
        <h1 className="text-lg font-semibold">
          {wf.data?.name ?? (ex?.workflow_id ? "Execution" : "Agent chat")}
        </h1>
        <div className="w-28">
          {ex !== undefined ? (
            <StatusBadge status={status} live />
          ) : (
            <Skeleton className="h-6 w-24" />
          )}
        </div>
        {ex !== undefined ? <TriggerBadge trigger={ex.trigger} /> : null}
        <p className="text-sm text-zinc-600 tabular-nums dark:text-zinc-400">
          {ex !== undefined ? (
            <>
              Started {formatDateTime(ex.start_time ?? ex.created_at)} ·{" "}
              {formatDuration(
                durationMs(ex.start_time ?? ex.created_at, ex.end_time ?? (finished ? null : now)),
              )}
              {attempt > 1 ? ` · attempt ${attempt}` : ""}
            </>
          ) : null}
        </p>
        {usage !== null ? (
          <p
            aria-label="Usage of the run's budget"
            className="rounded-md bg-zinc-100 px-2 py-0.5 text-xs text-zinc-700 tabular-nums dark:bg-zinc-800 dark:text-zinc-300"
          >
            {usageText(usage)}
          </p>
        ) : null}
        {ex?.trace_id ? <TraceId traceId={ex.trace_id} /> : null}
        {ex?.parent_execution_id ? (
          <Link
            href={`/executions/view/?id=${encodeURIComponent(ex.parent_execution_id)}`}
            className="rounded text-sm text-sky-700 hover:underline focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:text-sky-400"
          >
            {ex.parent_node
              ? `Started by step ${ex.parent_node}${
                  ex.parent_item !== null && ex.parent_item !== undefined
                    ? ` (item #${ex.parent_item})`
                    : ""
                } of its parent run`
              : "Started by its parent run"}
          </Link>
        ) : null}
        <div className="ml-auto flex gap-2">
          {ex?.workflow_id ? (
            <Link
              href={`/workflows/edit/?id=${encodeURIComponent(ex.workflow_id)}`}
              className="inline-flex h-8 items-center rounded-lg px-3 text-sm font-medium text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
            >
              Open workflow
            </Link>
          ) : null}
          {canEdit && ex !== undefined && !finished ? (
            <Button
              variant="secondary"
              size="sm"
              loading={cancel.isPending}
              onClick={() => cancel.mutate(ex.id)}
            >
              Cancel run
            </Button>
          ) : null}
          {canEdit && ex !== undefined && (status === "failed" || status === "cancelled") ? (
            <Button
              size="sm"
              loading={retry.isPending}
              onClick={() =>
                retry.mutate(ex.id, {
                  onSuccess: (next) => {
                    if (next !== null && next.id !== ex.id)
                      router.push(`/executions/view/?id=${encodeURIComponent(next.id)}`);
                    else void exec.refetch();
                  },
                })
              }
            >
              Retry
            </Button>
          ) : null}
          {canEdit && ex !== undefined && ended ? <ReplayButton executionId={ex.id} /> : null}
          {canEdit && ex !== undefined && finished ? (
            <Button variant="ghost" size="sm" onClick={() => setConfirmDelete(true)}>
              Delete
            </Button>
          ) : null}
        </div>
      </div>
      {replayOf !== null ? (
        <ReplayBanner
          originalId={replayOf}
          replay={ex?.replay}
          differing={finished && diff.data !== undefined ? countDiffering(marks) : null}
          diffError={diff.isError ? diff.error : null}
          onRetry={() => void diff.refetch()}
        />
      ) : null}
      {events.isError ? (
        <div className="border-b border-zinc-200 p-3 dark:border-zinc-800">
          <ProblemAlert
            error={events.error}
            context="Live updates stopped"
            onRetry={() => void events.refetch()}
          />
        </div>
      ) : null}
      <div className="flex min-h-0 flex-1">
        <div className="min-w-0 flex-1 bg-zinc-50 dark:bg-zinc-950">
          {definition !== undefined ? (
            <ReactFlowProvider>
              <RunGraph
                definition={definition}
                states={states}
                selected={selected}
                onSelect={setPicked}
                marks={replayOf !== null ? marks : undefined}
              />
            </ReactFlowProvider>
          ) : wf.isError ? (
            <div className="p-6">
              <ProblemAlert error={wf.error} context="Could not load the workflow graph" />
            </div>
          ) : ex !== undefined && !ex.workflow_id ? (
            <p className="p-6 text-sm text-zinc-500">This run has no workflow graph.</p>
          ) : (
            <div className="h-full p-6" aria-busy="true" aria-label="Loading">
              <Skeleton className="h-full w-full" />
            </div>
          )}
        </div>
        <aside className="flex w-[26rem] shrink-0 flex-col overflow-y-auto border-l border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
          {ex !== undefined && finished && ex.status === status ? (
            status === "failed" && ex.error !== null ? (
              <div className="border-b border-zinc-200 p-4 dark:border-zinc-800">
                <h2 className="mb-2 text-sm font-semibold">Error</h2>
                <JsonBlock value={ex.error} label="Execution error" compact />
              </div>
            ) : status === "succeeded" ? (
              <section
                aria-label="Results"
                className="border-b border-zinc-200 p-4 dark:border-zinc-800"
              >
                <h2 className="mb-2 text-sm font-semibold">Results</h2>
                <JsonBlock value={ex.results} label="Results of the run" compact />
              </section>
            ) : null
          ) : null}
          {ex !== undefined ? <RunApprovals executionId={ex.id} signal={approvalSignal} /> : null}
          {ex !== undefined ? <ReplayList executionId={ex.id} /> : null}
          <Card className="m-3 shrink-0 overflow-hidden" aria-labelledby="timeline-heading">
            <h2
              id="timeline-heading"
              className="border-b border-zinc-200 px-4 py-2 text-sm font-semibold dark:border-zinc-800"
            >
              Timeline
            </h2>
            <StepTimeline states={states} selected={selected} onSelect={setPicked} now={now} />
          </Card>
          {selected !== null && selectedState !== undefined ? (
            <StepDetail
              nodeId={selected}
              state={selectedState}
              actions={
                canEdit && ended ? (
                  <Button
                    variant="secondary"
                    size="sm"
                    aria-haspopup="dialog"
                    onClick={() => setReplayFrom(selected)}
                  >
                    Replay from here…
                  </Button>
                ) : undefined
              }
              compare={
                replayOf !== null ? (
                  <ReplayCompare
                    nodeId={selected}
                    original={original.data !== undefined ? originalStates[selected] : undefined}
                    replay={selectedState}
                    mark={marks[selected]}
                    error={original.isError}
                  />
                ) : undefined
              }
              runsLabel={selectedType === "map" ? "Items" : "Run"}
              runs={
                startsRuns && ex !== undefined ? (
                  <ChildRuns
                    key={selected}
                    executionId={ex.id}
                    nodeId={selected}
                    isMap={selectedType === "map"}
                    live={!finished}
                  />
                ) : undefined
              }
            />
          ) : (
            <p className="px-4 py-2 text-sm text-zinc-500 dark:text-zinc-400">
              Select a node or a step to see its input and output.
            </p>
          )}
        </aside>
      </div>
      {ex !== undefined && replayFrom !== null ? (
        <ReplayDialog
          open
          onOpenChange={(o) => {
            if (!o) setReplayFrom(null);
          }}
          executionId={ex.id}
          workflowId={ex.workflow_id ?? null}
          fromNode={replayFrom}
          inputs={ex.inputs as JsonObject | undefined}
        />
      ) : null}
      <ConfirmDialog
        open={confirmDelete}
        onOpenChange={setConfirmDelete}
        title="Delete this run?"
        description="The run, its steps and the runs it started are deleted for good."
        confirmLabel="Delete run"
        busy={del.isPending}
        onConfirm={() => {
          if (ex === undefined) return;
          del.mutate(ex.id, {
            onSuccess: () => {
              toast({ kind: "success", title: "Run deleted" });
              router.push("/executions/");
            },
            onError: (e) => {
              const p = toProblem(e);
              toast({ kind: "error", title: "Run not deleted", detail: p.detail || p.title });
            },
            onSettled: () => setConfirmDelete(false),
          });
        }}
      />
    </div>
  );
}
