import type { ReactNode } from "react";

/**
 * A table with the app's header style. "columns" are the headings; an empty one
 * is an actions column, named for screen readers only.
 */
export function Table({
  label,
  columns,
  children,
}: {
  label: string;
  columns: readonly string[];
  children: ReactNode;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" aria-label={label}>
        <thead className="border-b border-zinc-200 text-xs text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            {columns.map((c, i) => (
              <th key={`${c}-${i}`} scope="col" className="px-4 py-2 font-medium">
                {c === "" ? <span className="sr-only">Actions</span> : c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">{children}</tbody>
      </table>
    </div>
  );
}
