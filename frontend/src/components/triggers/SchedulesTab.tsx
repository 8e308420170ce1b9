"use client";

import { useState } from "react";

import { useDeleteSchedule, useScheduleList, useUpdateSchedule, type Schedule } from "@/api";
import { toast } from "@/store/toastStore";

import { ListView } from "../list/ListView";
import { LIST } from "../list/styles";
import { Button } from "../ui/Button";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { ScheduleForm } from "./ScheduleForm";
import { scheduleName, ScheduleRow } from "./ScheduleRow";
import { SubviewHeader } from "./SubviewHeader";
import { useClock } from "./useClock";

type View = { kind: "list" } | { kind: "new" } | { kind: "edit"; schedule: Schedule };

/** A workflow's schedules: the list (meaning, next run, enabled) and a form to add or change one. */
export function SchedulesTab({ workflowId, canEdit }: { workflowId: string; canEdit: boolean }) {
  const list = useScheduleList(workflowId);
  const toggle = useUpdateSchedule(workflowId);
  const del = useDeleteSchedule(workflowId);
  const [view, setView] = useState<View>({ kind: "list" });
  const [doomed, setDoomed] = useState<Schedule | null>(null);
  const now = useClock();
  const back = () => setView({ kind: "list" });

  if (view.kind !== "list") {
    const schedule = view.kind === "edit" ? view.schedule : null;
    return (
      <div>
        <SubviewHeader
          title={schedule === null ? "New schedule" : `Edit “${scheduleName(schedule)}”`}
          backLabel="Schedules"
          onBack={back}
        />
        <ScheduleForm
          workflowId={workflowId}
          schedule={schedule}
          onCancel={back}
          onSaved={() => {
            toast({
              kind: "success",
              title: schedule === null ? "Schedule added" : "Schedule saved",
            });
            back();
          }}
        />
      </div>
    );
  }

  return (
    <div className="space-y-4">
      <div className="flex items-start justify-between gap-4">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A schedule runs this workflow at the times of a cron expression, in a time zone, with
          fixed inputs.
        </p>
        {canEdit ? (
          <Button size="sm" onClick={() => setView({ kind: "new" })}>
            Add schedule
          </Button>
        ) : null}
      </div>
      <ListView
        label="Schedule list"
        list={list}
        noun={["schedule", "schedules"]}
        variant="plain"
        paged={false}
        skeletonRows={2}
        empty={{
          title: "No schedules yet",
          body: canEdit
            ? "Add one to run this workflow every hour, every weekday morning, on the first of the month…"
            : "Schedules that editors add to this workflow are listed here.",
        }}
      >
        {(items) => (
          <ul className={LIST}>
            {items.map((s) => (
              <ScheduleRow
                key={s.id}
                schedule={s}
                canEdit={canEdit}
                now={now}
                toggling={toggle.isPending && toggle.variables?.id === s.id}
                onToggle={(enabled) => toggle.mutate({ id: s.id, patch: { enabled } })}
                onEdit={() => setView({ kind: "edit", schedule: s })}
                onDelete={() => setDoomed(s)}
              />
            ))}
          </ul>
        )}
      </ListView>
      <ConfirmDialog
        open={doomed !== null}
        onOpenChange={(o) => {
          if (!o) setDoomed(null);
        }}
        title="Delete this schedule?"
        description={
          <>
            <strong className="font-medium">{doomed !== null ? scheduleName(doomed) : ""}</strong>{" "}
            stops running. The runs it started stay.
          </>
        }
        confirmLabel="Delete"
        busy={del.isPending}
        onConfirm={() => {
          if (doomed !== null) del.mutate(doomed.id, { onSuccess: () => setDoomed(null) });
        }}
      />
    </div>
  );
}
