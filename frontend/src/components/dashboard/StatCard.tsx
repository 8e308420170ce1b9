import Link from "next/link";
import type { ReactNode } from "react";

import { Skeleton } from "../ui/Skeleton";

/** One number on the dashboard, linking to its page. */
export function StatCard({
  label,
  value,
  href,
  loading,
  children,
}: {
  label: string;
  value: string;
  href: string;
  loading: boolean;
  children?: ReactNode;
}) {
  return (
    <Link
      href={href}
      className="block rounded-xl border border-zinc-200 bg-white p-4 shadow-sm hover:border-indigo-300 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-indigo-700"
    >
      <p className="text-sm font-medium text-zinc-600 dark:text-zinc-400">{label}</p>
      <div className="mt-1 h-9">
        {loading ? (
          <Skeleton className="h-8 w-16" />
        ) : (
          <p className="text-3xl font-semibold tabular-nums" aria-label={`${label}: ${value}`}>
            {value}
          </p>
        )}
      </div>
      {children}
    </Link>
  );
}
