import type { ReactNode } from "react";

/** What to show instead of an empty list: what this is and what to do first. */
export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="flex flex-col items-center px-6 py-12 text-center">
      <h2 className="text-sm font-semibold">{title}</h2>
      <div className="mt-1 max-w-md text-sm text-zinc-600 dark:text-zinc-400">{children}</div>
      {action !== undefined ? <div className="mt-4">{action}</div> : null}
    </div>
  );
}
