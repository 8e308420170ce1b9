import type { ReactNode } from "react";

import { cn } from "../ui/cn";

const TONES = {
  neutral:
    "bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-200 dark:ring-zinc-600",
  indigo:
    "bg-indigo-50 text-indigo-800 ring-indigo-200 dark:bg-indigo-950/60 dark:text-indigo-200 dark:ring-indigo-800",
  amber:
    "bg-amber-50 text-amber-800 ring-amber-300 dark:bg-amber-950/60 dark:text-amber-200 dark:ring-amber-800",
} as const;

/** A small label on a trigger's row: a method, a mode, "Disabled". */
export function Pill({
  tone = "neutral",
  mono = false,
  children,
}: {
  tone?: keyof typeof TONES;
  mono?: boolean;
  children: ReactNode;
}) {
  return (
    <span
      className={cn(
        "inline-flex items-center rounded-md px-1.5 py-0.5 text-[11px] font-semibold whitespace-nowrap ring-1 ring-inset",
        mono && "font-mono",
        TONES[tone],
      )}
    >
      {children}
    </span>
  );
}
