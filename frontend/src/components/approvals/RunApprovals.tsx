"use client";

import { useEffect } from "react";

import { useExecutionApprovals } from "@/api";

import { ProblemAlert } from "../ProblemAlert";
import { Skeleton } from "../ui/Skeleton";
import { ApprovalCard } from "./ApprovalCard";

/**
 * The approval requests of one run, in the run view's side panel (nothing when it
 * has none). "signal" changes whenever an event may have changed them (a node began
 * to wait, an answer came): they are read again then.
 */
export function RunApprovals({ executionId, signal }: { executionId: string; signal: number }) {
  const q = useExecutionApprovals(executionId);
  const { refetch } = q;
  useEffect(() => {
    if (signal > 0) void refetch();
  }, [signal, refetch]);

  if (q.isPending) {
    return signal > 0 ? (
      <div className="border-b border-zinc-200 p-4 dark:border-zinc-800" aria-busy="true">
        <Skeleton className="h-24 w-full" />
      </div>
    ) : null;
  }
  if (q.isError) {
    return (
      <div className="border-b border-zinc-200 p-4 dark:border-zinc-800">
        <ProblemAlert
          error={q.error}
          context="Could not load the approvals"
          onRetry={() => void refetch()}
        />
      </div>
    );
  }
  if (q.data.length === 0) return null;
  return (
    <section
      aria-label="Approvals"
      className="space-y-3 border-b border-zinc-200 p-4 dark:border-zinc-800"
    >
      <h2 className="text-sm font-semibold">Approvals</h2>
      {q.data.map((a) => (
        <ApprovalCard key={a.node_id} approval={a} showInput={a.state === "pending"} />
      ))}
    </section>
  );
}
