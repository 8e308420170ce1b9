"use client";

import Link from "next/link";
import { useEffect, useMemo } from "react";

import { useExecution, useExecutionEvents } from "@/api";
import { effectiveStatus, isFinished } from "@/lib/runState";

import { Transcript } from "../executions/Transcript";
import { transcriptOf } from "../executions/transcriptOf";
import { ProblemAlert } from "../ProblemAlert";
import { Spinner } from "../ui/Spinner";
import { replyText } from "./replyText";

/** The agent's answer to one message: streamed tokens, then the result and tool calls. */
export function ChatReply({ executionId }: { executionId: string }) {
  const events = useExecutionEvents(executionId);
  const evs = useMemo(() => events.data ?? [], [events.data]);
  const exec = useExecution(executionId);
  const status = effectiveStatus(exec.data, evs);
  const done = isFinished(status);
  const { refetch } = exec;
  const stale = done && exec.data !== undefined && !isFinished(exec.data.status);
  useEffect(() => {
    if (stale) void refetch();
  }, [stale, refetch]);

  const streamed = evs
    .filter((e) => e.type === "node.token")
    .map((e) => e.text ?? "")
    .join("");
  const final =
    exec.data !== undefined && isFinished(exec.data.status) ? replyText(exec.data.results) : "";
  const tools = (exec.data?.steps ?? []).flatMap((s) => transcriptOf(s.output, s.usage) ?? []);
  const failure = evs.find((e) => e.type === "execution.failed" || e.type === "node.failed");

  return (
    <div className="space-y-2">
      {tools.length > 0 ? (
        <details className="text-xs">
          <summary className="cursor-pointer text-zinc-500 dark:text-zinc-400">
            Transcript and tool calls
          </summary>
          <div className="mt-2">
            <Transcript messages={tools} />
          </div>
        </details>
      ) : null}
      {status === "failed" ? (
        <p className="text-sm text-red-700 dark:text-red-300">
          {typeof failure?.error === "string" ? failure.error : "The agent could not answer."}
        </p>
      ) : (
        <p className="text-sm whitespace-pre-wrap wrap-anywhere" aria-live="polite">
          {final !== "" ? final : streamed}
          {!done ? <Spinner className="ml-1 inline size-3" /> : null}
        </p>
      )}
      {events.isError ? <ProblemAlert error={events.error} context="Live updates stopped" /> : null}
      <Link
        href={`/executions/view/?id=${encodeURIComponent(executionId)}`}
        className="text-xs text-zinc-500 hover:underline dark:text-zinc-400"
      >
        View run
      </Link>
    </div>
  );
}
