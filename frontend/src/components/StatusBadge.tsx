import type { NodeStatus } from "@/api";

import { Spinner } from "./ui/Spinner";

export const STATUS_STYLES: Record<NodeStatus, { label: string; className: string }> = {
  queued: {
    label: "Queued",
    className:
      "bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-200 dark:ring-zinc-600",
  },
  running: {
    label: "Running",
    className:
      "bg-sky-50 text-sky-800 ring-sky-300 dark:bg-sky-950/60 dark:text-sky-200 dark:ring-sky-800",
  },
  waiting: {
    label: "Waiting",
    className:
      "bg-violet-50 text-violet-800 ring-violet-300 dark:bg-violet-950/60 dark:text-violet-200 dark:ring-violet-800",
  },
  succeeded: {
    label: "Succeeded",
    className:
      "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950/60 dark:text-emerald-200 dark:ring-emerald-800",
  },
  failed: {
    label: "Failed",
    className:
      "bg-red-50 text-red-800 ring-red-300 dark:bg-red-950/60 dark:text-red-200 dark:ring-red-800",
  },
  skipped: {
    label: "Skipped",
    className:
      "bg-zinc-50 text-zinc-500 ring-zinc-200 dark:bg-zinc-900 dark:text-zinc-400 dark:ring-zinc-700",
  },
  cancelled: {
    label: "Cancelled",
    className:
      "bg-amber-50 text-amber-800 ring-amber-300 dark:bg-amber-950/60 dark:text-amber-200 dark:ring-amber-800",
  },
};

/**
 * A run's or a node's status as a coloured pill. With "live" it is a status live
 * region, so changes are announced (use it once per page, for the run itself).
 */
export function StatusBadge({ status, live = false }: { status: NodeStatus; live?: boolean }) {
  const s = STATUS_STYLES[status];
  return (
    <span
      role={live ? "status" : undefined}
      className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap ring-1 ring-inset ${s.className}`}
    >
      <span className="sr-only">Status: </span>
      {status === "running" ? (
        <Spinner className="size-3" />
      ) : status === "waiting" ? (
        <span className="flex gap-0.5" aria-hidden="true">
          <span className="h-2 w-0.5 rounded-sm bg-current" />
          <span className="h-2 w-0.5 rounded-sm bg-current" />
        </span>
      ) : (
        <span className="size-1.5 rounded-full bg-current" aria-hidden="true" />
      )}
      {s.label}
    </span>
  );
}
