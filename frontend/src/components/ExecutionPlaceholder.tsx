/** What the run panel shows before any run was started. */
export function ExecutionPlaceholder() {
  return (
    <section
      aria-labelledby="execution-placeholder-heading"
      className="flex flex-col items-center justify-center rounded-xl border border-dashed border-zinc-300 px-6 py-12 text-center dark:border-zinc-700"
    >
      <svg
        className="size-8 text-zinc-400 dark:text-zinc-500"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        aria-hidden="true"
      >
        <path
          strokeLinecap="round"
          strokeLinejoin="round"
          d="M5.25 5.65c0-.86.92-1.4 1.67-.98l11.54 6.35a1.13 1.13 0 0 1 0 1.97L6.92 19.33c-.75.42-1.67-.12-1.67-.98V5.65Z"
        />
      </svg>
      <h2 id="execution-placeholder-heading" className="mt-3 text-sm font-semibold">
        No run yet
      </h2>
      <p className="mt-1 max-w-xs text-sm text-zinc-600 dark:text-zinc-400">
        Press <strong className="font-medium">Run</strong> on a workflow to start it. Its events
        appear here live, followed by the results.
      </p>
    </section>
  );
}
