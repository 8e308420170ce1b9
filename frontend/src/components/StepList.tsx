import type { ExecutionStep } from "@/api";

/* Milliseconds between two ISO times, or null. */
function duration(start: string | null, end: string | null): string | null {
  if (start === null || end === null) return null;
  const ms = new Date(end).getTime() - new Date(start).getTime();
  if (Number.isNaN(ms) || ms < 0) return null;
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** The recorded steps of a finished execution: node, status, attempts and duration. */
export function StepList({ steps }: { steps: readonly ExecutionStep[] }) {
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">Steps</caption>
      <thead className="text-xs text-zinc-500 dark:text-zinc-400">
        <tr>
          <th scope="col" className="py-1.5 pr-3 font-medium">
            Node
          </th>
          <th scope="col" className="py-1.5 pr-3 font-medium">
            Status
          </th>
          <th scope="col" className="py-1.5 pr-3 font-medium">
            Attempt
          </th>
          <th scope="col" className="py-1.5 font-medium">
            Duration
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
        {steps.map((s) => (
          <tr key={`${s.node_id}-${s.attempt}`}>
            <td className="py-1.5 pr-3 font-mono text-xs">{s.node_id}</td>
            <td className="py-1.5 pr-3">{s.status}</td>
            <td className="py-1.5 pr-3 tabular-nums">{s.attempt}</td>
            <td className="py-1.5 tabular-nums">{duration(s.started_at, s.finished_at) ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
