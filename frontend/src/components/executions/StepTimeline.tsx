"use client";

import type { NodeRunState } from "@/lib/runState";
import { durationMs, formatDuration, timeline } from "@/lib/runState";

import { REPLAY_SOURCE_LABELS } from "@/lib/replay";

import { StatusBadge } from "../StatusBadge";
import { ReplaySourceBadge } from "./ReplaySourceBadge";

/**
 * The steps in the order they started, with durations (and, in a replay, where each got its
 * output); pressing one selects it.
 */
export function StepTimeline({
  states,
  selected,
  onSelect,
  now,
}: {
  states: Record<string, NodeRunState>;
  selected: string | null;
  onSelect: (id: string) => void;
  now: string;
}) {
  const steps = timeline(states);
  if (steps.length === 0) {
    return (
      <p className="px-4 py-3 text-sm text-zinc-500 dark:text-zinc-400">No step has started yet.</p>
    );
  }
  const longest = Math.max(
    1,
    ...steps.map(([, s]) => durationMs(s.startedAt, s.finishedAt ?? now) ?? 0),
  );
  return (
    <ol aria-label="Steps" className="divide-y divide-zinc-100 dark:divide-zinc-800">
      {steps.map(([id, s]) => {
        const ms = durationMs(s.startedAt, s.finishedAt ?? (s.status === "running" ? now : null));
        return (
          <li key={id}>
            <button
              type="button"
              onClick={() => onSelect(id)}
              aria-pressed={selected === id}
              aria-label={`Step ${id}, ${s.status}${
                s.replaySource !== null ? `, ${REPLAY_SOURCE_LABELS[s.replaySource].label}` : ""
              }, ${formatDuration(ms)}`}
              className={`flex w-full items-center gap-3 px-4 py-2 text-left text-sm hover:bg-zinc-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-500 dark:hover:bg-zinc-800/60 ${
                selected === id ? "bg-indigo-50 dark:bg-indigo-950/40" : ""
              }`}
            >
              <span className="w-24 truncate font-mono font-medium">{id}</span>
              <StatusBadge status={s.status} />
              {s.replaySource !== null ? <ReplaySourceBadge source={s.replaySource} /> : null}
              <span
                className="h-1.5 min-w-0 flex-1 rounded-full bg-zinc-100 dark:bg-zinc-800"
                aria-hidden="true"
              >
                <span
                  className="block h-full rounded-full bg-indigo-400 dark:bg-indigo-500"
                  style={{ width: `${Math.max(2, ((ms ?? 0) * 100) / longest)}%` }}
                />
              </span>
              <span className="w-20 text-right text-zinc-600 tabular-nums dark:text-zinc-400">
                {formatDuration(ms)}
              </span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
