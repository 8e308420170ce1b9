import Link from "next/link";

import type { Execution } from "@/api";
import { formatDateTime } from "@/lib/format";
import { durationMs, formatDuration } from "@/lib/runState";

import { CELL } from "../list/styles";
import { StatusBadge } from "../StatusBadge";
import { Table } from "../ui/Table";
import { TriggerBadge } from "./TriggerBadge";

/** Executions as a table: status, workflow, trigger, start, duration; each row links to the monitor. */
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
    <Table label={label} columns={["Status", "Workflow", "Trigger", "Started", "Duration", ""]}>
      {items.map((ex) => (
        <tr key={ex.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
          <td className={CELL}>
            <StatusBadge status={ex.status} />
          </td>
          <td className={`${CELL} max-w-64 truncate font-medium`}>
            {ex.workflow_id ? (workflowNames.get(ex.workflow_id) ?? "Workflow") : "Agent chat"}
          </td>
          <td className={CELL}>
            <TriggerBadge trigger={ex.trigger} />
          </td>
          <td className={`${CELL} text-zinc-600 tabular-nums dark:text-zinc-400`}>
            {formatDateTime(ex.start_time ?? ex.created_at)}
          </td>
          <td className={`${CELL} text-zinc-600 tabular-nums dark:text-zinc-400`}>
            {formatDuration(durationMs(ex.start_time, ex.end_time))}
          </td>
          <td className={`${CELL} text-right`}>
            <Link
              href={`/executions/view/?id=${encodeURIComponent(ex.id)}`}
              className="rounded-sm font-medium text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:text-indigo-400"
            >
              View<span className="sr-only"> execution {ex.id}</span>
            </Link>
          </td>
        </tr>
      ))}
    </Table>
  );
}
