/** Placeholder rows while the workflow list loads. */
export function WorkflowListSkeleton({ rows = 3 }: { rows?: number }) {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading workflows…</span>
      <ul aria-hidden="true" className="divide-y divide-zinc-200 dark:divide-zinc-800">
        {Array.from({ length: rows }, (_, i) => (
          <li key={i} className="flex items-start justify-between gap-4 px-5 py-4">
            <div className="flex-1 animate-pulse space-y-2">
              <div className="h-4 w-40 rounded bg-zinc-200 dark:bg-zinc-800" />
              <div className="h-3 w-full max-w-sm rounded bg-zinc-200 dark:bg-zinc-800" />
              <div className="h-3 w-28 rounded bg-zinc-200 dark:bg-zinc-800" />
            </div>
            <div className="h-8 w-16 animate-pulse rounded-lg bg-zinc-200 dark:bg-zinc-800" />
          </li>
        ))}
      </ul>
    </div>
  );
}
