"use client";

import type { Schedule } from "@/api";
import { formatInZone, formatRelative } from "@/lib/format";

import { Button } from "../ui/Button";
import { Pill } from "./Pill";
import { RowSwitch } from "./TriggerFormParts";

/** The name a schedule is shown by. */
export function scheduleName(s: Schedule): string {
  return s.name !== undefined && s.name !== "" ? s.name : "Untitled schedule";
}

/**
 * One schedule: its name and expression, what it means, when it runs next (from now,
 * and on the clock of its zone) and last; for editors the enabled switch, Edit, Delete.
 */
export function ScheduleRow({
  schedule,
  canEdit,
  now,
  toggling,
  onToggle,
  onEdit,
  onDelete,
}: {
  schedule: Schedule;
  canEdit: boolean;
  now: number;
  toggling: boolean;
  onToggle: (enabled: boolean) => void;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const name = scheduleName(schedule);
  const switchId = `sched-enabled-${schedule.id}`;
  const next = schedule.next_fire_at ?? schedule.next_fires[0] ?? null;
  return (
    <li aria-label={name} className="space-y-1.5 px-4 py-3.5">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
        <h3 className="min-w-0 truncate text-sm font-semibold">{name}</h3>
        <Pill mono>{schedule.cron}</Pill>
        {!schedule.enabled && !canEdit ? <Pill tone="amber">Paused</Pill> : null}
        {canEdit ? (
          <RowSwitch
            id={switchId}
            name={name}
            checked={schedule.enabled}
            disabled={toggling}
            onChange={onToggle}
            offLabel="Paused"
          />
        ) : null}
      </div>
      <p className="text-sm text-zinc-800 dark:text-zinc-200">Runs {schedule.description}</p>
      <p className="text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
        {!schedule.enabled ? (
          "Paused: it does not run until enabled."
        ) : next === null ? (
          "It never runs again."
        ) : (
          <>
            Next run{" "}
            <time dateTime={next} className="font-medium text-zinc-800 dark:text-zinc-200">
              {formatRelative(next, now)}
            </time>{" "}
            · {formatInZone(next, schedule.timezone)}
          </>
        )}
        {schedule.last_fire_at ? (
          <> · last ran {formatRelative(schedule.last_fire_at, now)}</>
        ) : null}
      </p>
      {canEdit ? (
        <div className="-ml-3 flex flex-wrap gap-1 pt-0.5">
          <Button size="sm" variant="ghost" onClick={onEdit}>
            Edit<span className="sr-only"> {name}</span>
          </Button>
          <Button size="sm" variant="ghost" onClick={onDelete}>
            Delete<span className="sr-only"> {name}</span>
          </Button>
        </div>
      ) : null}
    </li>
  );
}
