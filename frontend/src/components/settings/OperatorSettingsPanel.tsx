"use client";

import { useOperatorSettings } from "@/api";

import { TableSkeleton } from "../executions/TableSkeleton";
import { ProblemAlert } from "../ProblemAlert";

/** Admins: the operator settings in force (allow-lists, sign-up, limits), read-only. */
export function OperatorSettingsPanel() {
  const settings = useOperatorSettings(true);
  return (
    <div className="space-y-4">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Set by the operator in the server&apos;s environment (<code>FRAGENT_*</code>, see the
        README); they change when the stack restarts. Model servers and HTTP destinations on
        loopback, private or link-local addresses are reachable only through the allow-lists.
      </p>
      {settings.isPending ? (
        <TableSkeleton rows={4} />
      ) : settings.isError ? (
        <ProblemAlert
          error={settings.error}
          context="Could not load the settings"
          onRetry={() => void settings.refetch()}
        />
      ) : (
        <table className="w-full text-left text-sm" aria-label="Operator settings">
          <thead className="border-b border-zinc-200 text-xs text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">
                Setting
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Value
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Meaning
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {settings.data.map((s) => (
              <tr key={s.name}>
                <td className="px-3 py-2 font-mono text-xs">{s.name}</td>
                <td className="px-3 py-2 font-mono text-xs break-all">
                  {s.value === "" ? <span className="text-zinc-400 italic">empty</span> : s.value}
                </td>
                <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400">{s.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
