import type { ExecutionStatus } from "@/api";

import { Spinner } from "./Spinner";

const STYLES: Record<ExecutionStatus, { label: string; className: string }> = {
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
  cancelled: {
    label: "Cancelled",
    className:
      "bg-amber-50 text-amber-800 ring-amber-300 dark:bg-amber-950/60 dark:text-amber-200 dark:ring-amber-800",
  },
};

/** The execution's status as a coloured pill; a live region, so changes are announced. */
export function StatusBadge({ status }: { status: ExecutionStatus }) {
  const s = STYLES[status];
  return (
    <span
      role="status"
      className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${s.className}`}
    >
      <span className="sr-only">Status: </span>
      {status === "running" || status === "queued" ? (
        <Spinner className="size-3" />
      ) : (
        <span className="size-1.5 rounded-full bg-current" aria-hidden="true" />
      )}
      {s.label}
    </span>
  );
}
