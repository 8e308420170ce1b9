import { cn } from "./cn";

/** A grey placeholder block with the size of what is loading (no layout shift). */
export function Skeleton({ className }: { className?: string }) {
  return (
    <div
      aria-hidden="true"
      className={cn("animate-pulse rounded-md bg-zinc-200 dark:bg-zinc-800", className)}
    />
  );
}
