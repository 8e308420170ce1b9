"use client";

// A replay's banner in its run view: which run it replays, how, and how much differs.

import Link from "next/link";

import type { ReplayOrigin } from "@/api";
import { replayDescription } from "@/lib/replay";

import { ProblemAlert } from "../ProblemAlert";
import { StrokeIcon } from "../ui/StrokeIcon";

/**
 * "Replay of run 1a2b3c4d · from step agent · offline"; "differing" (null while unknown)
 * counts the steps whose output or status is not the original's.
 */
export function ReplayBanner({
  originalId,
  replay,
  differing,
  diffError,
  onRetry,
}: {
  originalId: string;
  replay: ReplayOrigin | null | undefined;
  differing: number | null;
  diffError: unknown;
  onRetry: () => void;
}) {
  const how = replayDescription(replay);
  return (
    <section
      aria-label="Replay"
      className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-indigo-200 bg-indigo-50 px-4 py-2 text-sm text-indigo-950 dark:border-indigo-900/60 dark:bg-indigo-950/40 dark:text-indigo-100"
    >
      <StrokeIcon
        d="M3 12a9 9 0 1 0 3-6.7L3 8M3 3v5h5"
        className="size-4 shrink-0 text-indigo-600 dark:text-indigo-300"
      />
      <p>
        Replay of{" "}
        <Link
          href={`/executions/view/?id=${encodeURIComponent(originalId)}`}
          className="rounded font-medium text-sky-700 underline-offset-2 hover:underline focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:text-sky-400"
        >
          run <span className="font-mono">{originalId.slice(0, 8)}</span>
        </Link>
        {how !== "" ? <span className="text-indigo-800 dark:text-indigo-200"> · {how}</span> : null}
      </p>
      {differing !== null ? (
        <p
          className={`ml-auto rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${
            differing > 0
              ? "bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-950/60 dark:text-amber-100 dark:ring-amber-700"
              : "bg-emerald-50 text-emerald-900 ring-emerald-300 dark:bg-emerald-950/60 dark:text-emerald-100 dark:ring-emerald-800"
          }`}
        >
          {differing === 0
            ? "Every step matches the original"
            : `${differing} ${differing === 1 ? "step differs" : "steps differ"} from the original`}
        </p>
      ) : null}
      {diffError !== null ? (
        <div className="w-full pb-1">
          <ProblemAlert
            error={diffError}
            context="Could not compare with the original"
            onRetry={onRetry}
          />
        </div>
      ) : null}
    </section>
  );
}
