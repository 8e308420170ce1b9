import type { ExecutionEvent } from "@/api";
import { formatClock } from "@/lib/format";

import { JsonBlock } from "./JsonBlock";

/* Colour of the type label by how the event ended. */
function tone(type: string): string {
  if (type.endsWith(".failed")) return "text-red-700 dark:text-red-300";
  if (type.endsWith(".completed")) return "text-emerald-700 dark:text-emerald-300";
  if (type.endsWith(".cancelled") || type.endsWith(".skipped"))
    return "text-amber-700 dark:text-amber-300";
  return "text-sky-700 dark:text-sky-300";
}

/** One line of the live event log: time, type, node and, when there is one, output or error. */
export function EventItem({ event }: { event: ExecutionEvent }) {
  return (
    <li className="py-2.5">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 text-sm">
        <time
          dateTime={event.time}
          className="font-mono text-xs text-zinc-500 tabular-nums dark:text-zinc-400"
        >
          {formatClock(event.time)}
        </time>
        <code className={`font-mono text-[13px] font-semibold ${tone(event.type)}`}>
          {event.type}
        </code>
        {event.node_id !== undefined ? (
          <span className="text-zinc-600 dark:text-zinc-300">
            <span className="sr-only">node </span>
            <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">
              {event.node_id}
            </code>
          </span>
        ) : null}
      </div>
      {event.type === "node.completed" && event.output !== undefined ? (
        <div className="mt-1.5">
          <JsonBlock value={event.output} label={`Output of ${event.node_id ?? "node"}`} compact />
        </div>
      ) : null}
      {event.error !== undefined ? (
        <p className="mt-1.5 text-sm break-words text-red-700 dark:text-red-300">
          {typeof event.error === "string" ? event.error : JSON.stringify(event.error)}
        </p>
      ) : null}
    </li>
  );
}
