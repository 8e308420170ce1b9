import type { ScheduleExplained } from "@/api";
import { formatInZone, formatRelative } from "@/lib/format";

import { Spinner } from "../ui/Spinner";
import { cn } from "../ui/cn";

/**
 * What a cron expression means, as the API explains it: in words ("every weekday at
 * 09:00, Europe/Paris") and its next five fire times, each in the schedule's zone and
 * from now. Announced politely as it changes while the expression is typed.
 */
export function CronExplanation({
  explained,
  timezone,
  busy,
  failed,
  now,
}: {
  explained: ScheduleExplained | undefined;
  timezone: string;
  /** A newer explanation is on its way. */
  busy: boolean;
  /** The expression or the zone is wrong (the fields say why). */
  failed: boolean;
  now: number;
}) {
  return (
    <section
      aria-label="When it runs"
      aria-live="polite"
      aria-busy={busy || undefined}
      className={cn(
        "rounded-lg border p-3 text-sm",
        failed
          ? "border-zinc-200 bg-zinc-50 text-zinc-500 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-400"
          : "border-indigo-200 bg-indigo-50/60 dark:border-indigo-900 dark:bg-indigo-950/30",
      )}
    >
      {failed ? (
        <p>Fix the expression to see when it runs.</p>
      ) : explained === undefined ? (
        <p className="flex items-center gap-2 text-zinc-500 dark:text-zinc-400">
          {busy ? <Spinner /> : null}
          {busy ? "Reading the expression…" : "Type a cron expression to see when it runs."}
        </p>
      ) : (
        <div className={cn("space-y-2 transition-opacity", busy && "opacity-60")}>
          <p className="text-indigo-950 dark:text-indigo-100">
            Runs <strong className="font-semibold">{explained.description}</strong>
          </p>
          {explained.next_fires.length > 0 ? (
            <div>
              <h4 className="text-xs font-medium text-zinc-600 dark:text-zinc-400">Next runs</h4>
              <ol
                aria-label="Next runs"
                className="mt-1 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5 text-xs tabular-nums"
              >
                {explained.next_fires.map((t) => (
                  <li key={t} className="col-span-2 grid grid-cols-subgrid">
                    <time dateTime={t} className="text-zinc-800 dark:text-zinc-200">
                      {formatInZone(t, timezone)}
                    </time>
                    <span className="text-zinc-500 dark:text-zinc-400">
                      {formatRelative(t, now)}
                    </span>
                  </li>
                ))}
              </ol>
            </div>
          ) : (
            <p className="text-xs text-zinc-600 dark:text-zinc-400">It never runs again.</p>
          )}
        </div>
      )}
    </section>
  );
}
