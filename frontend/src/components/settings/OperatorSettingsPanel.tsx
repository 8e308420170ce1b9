"use client";

import { useOperatorSettings } from "@/api";

import { ListSkeleton } from "../list/ListSkeleton";
import { CELL } from "../list/styles";
import { ProblemAlert } from "../ProblemAlert";
import { Table } from "../ui/Table";

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
        <ListSkeleton rows={4} label="Loading the settings" />
      ) : settings.isError ? (
        <ProblemAlert
          error={settings.error}
          context="Could not load the settings"
          onRetry={() => void settings.refetch()}
        />
      ) : (
        <Table label="Operator settings" columns={["Setting", "Value", "Meaning"]}>
          {settings.data.map((st) => (
            <tr key={st.name}>
              <td className={`${CELL} font-mono text-xs`}>{st.name}</td>
              <td className={`${CELL} font-mono text-xs break-all`}>
                {st.value === "" ? <span className="text-zinc-400 italic">empty</span> : st.value}
              </td>
              <td className={`${CELL} text-zinc-600 dark:text-zinc-400`}>{st.description}</td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
