"use client";

import { useRef, type KeyboardEvent } from "react";

import { USAGE_RANGES, type UsageRange } from "@/api";

const LABELS: Record<UsageRange, string> = { "24h": "24 hours", "7d": "7 days" };

/** The usage range, 24 hours or 7 days: a radio group (arrow keys move and select). */
export function RangeSwitch({
  value,
  onChange,
}: {
  value: UsageRange;
  onChange: (r: UsageRange) => void;
}) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (e: KeyboardEvent<HTMLButtonElement>, i: number) => {
    const step =
      e.key === "ArrowRight" || e.key === "ArrowDown"
        ? 1
        : e.key === "ArrowLeft" || e.key === "ArrowUp"
          ? -1
          : 0;
    if (step === 0) return;
    e.preventDefault();
    const next = (i + step + USAGE_RANGES.length) % USAGE_RANGES.length;
    onChange(USAGE_RANGES[next] ?? value);
    refs.current[next]?.focus();
  };
  return (
    <div
      role="radiogroup"
      aria-label="Usage range"
      className="inline-flex rounded-lg border border-zinc-200 bg-zinc-50 p-0.5 dark:border-zinc-700 dark:bg-zinc-800"
    >
      {USAGE_RANGES.map((r, i) => (
        <button
          key={r}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="radio"
          aria-checked={r === value}
          tabIndex={r === value ? 0 : -1}
          onClick={() => onChange(r)}
          onKeyDown={(e) => onKey(e, i)}
          className="rounded-md px-3 py-1 text-sm font-medium text-zinc-600 focus-visible:outline-2 focus-visible:outline-indigo-500 aria-checked:bg-white aria-checked:text-zinc-900 aria-checked:shadow-sm dark:text-zinc-400 dark:aria-checked:bg-zinc-950 dark:aria-checked:text-zinc-100"
        >
          {LABELS[r]}
        </button>
      ))}
    </div>
  );
}
