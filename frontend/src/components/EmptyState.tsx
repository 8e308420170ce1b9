/** Shown when there are no workflows: says what a workflow is and how to get one. */
export function EmptyState() {
  return (
    <div className="flex flex-col items-center px-6 py-12 text-center">
      <svg
        className="size-10 text-zinc-400 dark:text-zinc-500"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        aria-hidden="true"
      >
        <rect x="3" y="4" width="6" height="5" rx="1" />
        <rect x="15" y="4" width="6" height="5" rx="1" />
        <rect x="9" y="15" width="6" height="5" rx="1" />
        <path
          strokeLinecap="round"
          d="M6 9v2.5a1.5 1.5 0 0 0 1.5 1.5h9a1.5 1.5 0 0 0 1.5-1.5V9M12 13v2"
        />
      </svg>
      <h3 className="mt-3 text-sm font-semibold">No workflows yet</h3>
      <p className="mt-1 max-w-sm text-sm text-zinc-600 dark:text-zinc-400">
        A workflow is a graph of steps that runs from its inputs to its outputs. Press{" "}
        <strong className="font-medium">Create sample workflow</strong> above to add one that greets
        a name, then <strong className="font-medium">Run</strong> it to watch it execute live.
      </p>
    </div>
  );
}
