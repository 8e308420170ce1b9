import Link from "next/link";

import { HealthIndicator } from "./HealthIndicator";

/** The top bar: product name and API status. */
export function AppHeader() {
  return (
    <header className="border-b border-zinc-200 bg-white/80 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/80">
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between px-4 sm:px-6">
        <Link
          href="/"
          className="flex items-center gap-2 rounded-md font-semibold tracking-tight focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-indigo-500"
        >
          <span
            className="grid size-7 place-items-center rounded-lg bg-indigo-600 text-sm font-bold text-white dark:bg-indigo-500"
            aria-hidden="true"
          >
            F
          </span>
          Fra-Gent
        </Link>
        <HealthIndicator />
      </div>
    </header>
  );
}
