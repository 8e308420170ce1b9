"use client";

import { useState } from "react";

import { toProblem, useDeleteExecutions, type ExecutionStatus, type ExecutionTrigger } from "@/api";
import { toast } from "@/store/toastStore";

import { STATUS_STYLES } from "../StatusBadge";
import { Button } from "../ui/Button";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { TRIGGER_STYLES } from "./TriggerBadge";

export interface DeleteMatchingRunsProps {
  status: ExecutionStatus | "";
  trigger: ExecutionTrigger | "";
  workflowId: string;
  workflowName: string | undefined;
}

const ENDED: readonly ExecutionStatus[] = ["succeeded", "failed", "cancelled"];

/** "Delete ended runs matching these filters", with a confirm saying which runs go. */
export function DeleteMatchingRuns({
  status,
  trigger,
  workflowId,
  workflowName,
}: DeleteMatchingRunsProps) {
  const [open, setOpen] = useState(false);
  const del = useDeleteExecutions();
  if (status !== "" && !ENDED.includes(status)) return null;

  const which = [
    status === "" ? "every ended run" : `every ${STATUS_STYLES[status].label.toLowerCase()} run`,
    workflowId === "" ? "of any workflow" : `of “${workflowName ?? workflowId}”`,
    trigger === "" ? "" : `started by ${TRIGGER_STYLES[trigger].label.toLowerCase()}`,
  ]
    .filter((s) => s !== "")
    .join(" ");

  return (
    <>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)}>
        Delete ended runs matching these filters
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title="Delete these runs?"
        description={`This deletes ${which} you can see, with their steps and the runs they started. Queued and running runs are kept.`}
        confirmLabel="Delete runs"
        busy={del.isPending}
        onConfirm={() =>
          del.mutate(
            {
              status: status === "" ? undefined : (status as "succeeded" | "failed" | "cancelled"),
              trigger: trigger === "" ? undefined : trigger,
              workflow_id: workflowId === "" ? undefined : workflowId,
            },
            {
              onSuccess: (n) =>
                toast({ kind: "success", title: `${n} ${n === 1 ? "run" : "runs"} deleted` }),
              onError: (e) => {
                const p = toProblem(e);
                toast({ kind: "error", title: "Runs not deleted", detail: p.detail || p.title });
              },
              onSettled: () => setOpen(false),
            },
          )
        }
      />
    </>
  );
}
