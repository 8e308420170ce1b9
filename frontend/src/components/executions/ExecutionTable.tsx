import Link from "next/link";

import type { Execution } from "@/api";
import { formatDateTime } from "@/lib/format";
import { durationMs, formatDuration } from "@/lib/runState";

import { StatusBadge } from "../StatusBadge";

/** Executions as a table: status, workflow, start, duration; each row links to the monitor. */
export function ExecutionTable({
  items,
  workflowNames,
  label,
}: {
  items: readonly Execution[];
  workflowNames: ReadonlyMap<string, string>;
  label: string;
}) {
  return (
    <table className="w-full text-left text-sm" aria-label={label}>
      <thead className="border-b border-zinc-200 text-xs text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
        <tr>
          <th scope="col" className="px-4 py-2 font-medium">
            Status
          </th>
          <th scope="col" className="px-4 py-2 font-medium">
            Workflow
          </th>
          <th scope="col" className="px-4 py-2 font-medium">
            Started
          </th>
          <th scope="col" className="px-4 py-2 font-medium">
            Duration
          </th>
          <th scope="col" className="px-4 py-2 font-medium">
            <span className="sr-only">Open</span>
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {items.map((ex) => (
          <tr key={ex.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
            <td className="px-4 py-2.5">
              <StatusBadge status={ex.status} />
            </td>
            <td className="max-w-64 truncate px-4 py-2.5 font-medium">
              {ex.workflow_id ? (workflowNames.get(ex.workflow_id) ?? "Workflow") : "Agent chat"}
            </td>
            <td className="px-4 py-2.5 text-zinc-600 tabular-nums dark:text-zinc-400">
              {formatDateTime(ex.start_time ?? ex.created_at)}
            </td>
            <td className="px-4 py-2.5 text-zinc-600 tabular-nums dark:text-zinc-400">
              {formatDuration(durationMs(ex.start_time, ex.end_time))}
            </td>
            <td className="px-4 py-2.5 text-right">
              <Link
                href={`/executions/view/?id=${encodeURIComponent(ex.id)}`}
                className="font-medium text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-indigo-400"
              >
                View<span className="sr-only"> execution {ex.id}</span>
              </Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
