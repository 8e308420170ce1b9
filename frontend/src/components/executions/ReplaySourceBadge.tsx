import type { ReplaySource } from "@/api";
import { REPLAY_SOURCE_LABELS } from "@/lib/replay";

const LOOK: Record<ReplaySource, string> = {
  reused:
    "bg-zinc-100 text-zinc-600 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-600",
  recording:
    "bg-indigo-50 text-indigo-800 ring-indigo-200 dark:bg-indigo-950/60 dark:text-indigo-200 dark:ring-indigo-800",
  live: "bg-amber-50 text-amber-800 ring-amber-300 dark:bg-amber-950/60 dark:text-amber-200 dark:ring-amber-800",
  computed:
    "bg-teal-50 text-teal-800 ring-teal-200 dark:bg-teal-950/60 dark:text-teal-200 dark:ring-teal-800",
};

/** Where a replay's step got its output ("from recording", "called out", …), as a small pill. */
export function ReplaySourceBadge({ source }: { source: ReplaySource }) {
  const s = REPLAY_SOURCE_LABELS[source];
  return (
    <span
      title={s.title}
      className={`inline-flex items-center rounded-md px-1.5 py-0.5 text-[11px] font-medium whitespace-nowrap ring-1 ring-inset ${LOOK[source]}`}
    >
      <span className="sr-only">Replay: </span>
      {s.label}
    </span>
  );
}
