"use client";

import { useState } from "react";

import {
  useRestoreWorkflowVersion,
  useWorkflowVersion,
  useWorkflowVersions,
  type Workflow,
  type WorkflowVersionSummary,
} from "@/api";
import { formatDateTime } from "@/lib/format";
import { diffDefinitions, type NodeDiff } from "@/lib/versionDiff";

import { EmptyState } from "../EmptyState";
import { JsonBlock } from "../JsonBlock";
import { ProblemAlert } from "../ProblemAlert";
import { Button } from "../ui/Button";
import { cn } from "../ui/cn";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { Sheet } from "../ui/Sheet";
import { Skeleton } from "../ui/Skeleton";

const CHANGE_STYLE = {
  added:
    "bg-emerald-50 text-emerald-900 ring-emerald-200 dark:bg-emerald-950/50 dark:text-emerald-100 dark:ring-emerald-800",
  removed:
    "bg-red-50 text-red-900 ring-red-200 dark:bg-red-950/50 dark:text-red-100 dark:ring-red-800",
  changed:
    "bg-amber-50 text-amber-900 ring-amber-200 dark:bg-amber-950/50 dark:text-amber-100 dark:ring-amber-800",
  same: "text-zinc-500 ring-zinc-200 dark:text-zinc-400 dark:ring-zinc-700",
} as const;

/** One side of a node's row: its id and type, or an empty cell where it does not exist. */
function NodeCell({ node, change }: { node: NodeDiff["before"]; change: NodeDiff["change"] }) {
  if (node === undefined) return <div aria-hidden="true" />;
  return (
    <div className={cn("rounded-md px-2 py-1 text-xs ring-1 ring-inset", CHANGE_STYLE[change])}>
      <span className="font-mono font-semibold">{node.id}</span>{" "}
      <span className="opacity-80">{node.type}</span>
      {change !== "same" ? <span className="sr-only"> ({change})</span> : null}
    </div>
  );
}

/** The selected version beside the current one: nodes and edges, what differs marked. */
function VersionDiff({
  workflowId,
  version,
  current,
}: {
  workflowId: string;
  version: number;
  current: Workflow;
}) {
  const v = useWorkflowVersion(workflowId, version);
  if (v.isPending) return <Skeleton className="h-40" />;
  if (v.isError) return <ProblemAlert error={v.error} context="Could not load the version" />;
  const d = diffDefinitions(v.data.definition, current.definition);
  const { added, removed, changed, edgesAdded, edgesRemoved } = d.counts;
  const same = added + removed + changed + edgesAdded + edgesRemoved === 0;
  return (
    <section aria-label={`Version ${version} beside the current one`} className="space-y-3">
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        {same
          ? "Same nodes and connections as the current version."
          : `From version ${version} to the current one: ${added} node${added === 1 ? "" : "s"} added, ${removed} removed, ${changed} changed; ${edgesAdded} connection${edgesAdded === 1 ? "" : "s"} added, ${edgesRemoved} removed.`}
      </p>
      <div className="grid grid-cols-2 gap-x-3 gap-y-1.5">
        <h3 className="text-xs font-semibold text-zinc-600 dark:text-zinc-400">
          Version {version}
        </h3>
        <h3 className="text-xs font-semibold text-zinc-600 dark:text-zinc-400">
          Current (version {current.version})
        </h3>
        {d.nodes.map((n) => (
          <div key={n.id} className="col-span-2 grid grid-cols-2 gap-x-3">
            <NodeCell node={n.before} change={n.change === "added" ? "same" : n.change} />
            <NodeCell node={n.after} change={n.change === "removed" ? "same" : n.change} />
            {n.change === "changed" ? (
              <details className="col-span-2 mt-1">
                <summary className="cursor-pointer text-xs text-zinc-600 dark:text-zinc-400">
                  Settings of {n.id}
                </summary>
                <div className="mt-1 grid grid-cols-2 gap-x-3">
                  <JsonBlock
                    compact
                    label={`${n.id} in version ${version}`}
                    value={n.before?.config}
                  />
                  <JsonBlock compact label={`${n.id} now`} value={n.after?.config} />
                </div>
              </details>
            ) : null}
          </div>
        ))}
      </div>
      {edgesAdded + edgesRemoved > 0 ? (
        <ul aria-label="Connections that differ" className="space-y-1 text-xs">
          {d.edges
            .filter((e) => e.change !== "same")
            .map((e) => (
              <li
                key={`${e.change}-${e.key}`}
                className={cn(
                  "rounded-md px-2 py-1 font-mono ring-1 ring-inset",
                  CHANGE_STYLE[e.change],
                )}
              >
                {e.change === "added" ? "+ " : "− "}
                {e.key}
              </li>
            ))}
        </ul>
      ) : null}
    </section>
  );
}

/** A version's row: number, message, author and time, size. */
function VersionRow({
  v,
  latest,
  selected,
  onSelect,
}: {
  v: WorkflowVersionSummary;
  latest: boolean;
  selected: boolean;
  onSelect: () => void;
}) {
  return (
    <li>
      <button
        type="button"
        aria-pressed={selected}
        onClick={onSelect}
        className={cn(
          "w-full rounded-lg px-3 py-2 text-left ring-1 ring-inset focus-visible:outline-2 focus-visible:outline-indigo-500",
          selected
            ? "bg-indigo-50 ring-indigo-300 dark:bg-indigo-950/50 dark:ring-indigo-700"
            : "ring-zinc-200 hover:bg-zinc-50 dark:ring-zinc-800 dark:hover:bg-zinc-800/50",
        )}
      >
        <span className="flex items-center gap-2 text-sm font-semibold">
          Version {v.version}
          {latest ? (
            <span className="rounded bg-zinc-100 px-1.5 text-[11px] font-medium text-zinc-700 dark:bg-zinc-800 dark:text-zinc-200">
              current
            </span>
          ) : null}
        </span>
        {v.message !== "" ? (
          <span className="block text-sm text-zinc-800 dark:text-zinc-200">{v.message}</span>
        ) : null}
        <span className="block text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
          {v.author ?? "a deleted user"} · {formatDateTime(v.created_at)} · {v.nodes} nodes,{" "}
          {v.edges} connections
        </span>
      </button>
    </li>
  );
}

/**
 * The workflow editor's versions panel: every save kept, newest first; a version chosen is
 * shown beside the current one (nodes and connections added, removed, changed) and editors
 * can restore it, which saves it as a new version.
 */
export function VersionsSheet({
  open,
  onOpenChange,
  workflow,
  canEdit,
  dirty,
  onRestored,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The saved workflow (undefined while loading or never saved). */
  workflow: Workflow | undefined;
  canEdit: boolean;
  /** The editor has changes not saved: a restore replaces them. */
  dirty: boolean;
  onRestored: (saved: Workflow) => void;
}) {
  const id = workflow?.id ?? null;
  const list = useWorkflowVersions(id, open);
  const restore = useRestoreWorkflowVersion();
  const [selected, setSelected] = useState<number | null>(null);
  const [confirming, setConfirming] = useState(false);
  const items = list.data?.items ?? [];
  const latest = items[0]?.version;
  const chosen = selected !== null && selected !== latest ? selected : null;

  return (
    <Sheet
      open={open}
      onOpenChange={onOpenChange}
      title="Versions"
      description="Every save is kept. Choose one to compare it with the current version."
    >
      {workflow === undefined ? (
        <EmptyState title="Save the workflow first">
          Versions are kept from the first save on.
        </EmptyState>
      ) : list.isPending ? (
        <div className="space-y-2" aria-busy="true" aria-label="Loading versions">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} className="h-14" />
          ))}
        </div>
      ) : list.isError ? (
        <div className="space-y-3">
          <ProblemAlert error={list.error} context="Could not load the versions" />
          <Button size="sm" variant="secondary" onClick={() => void list.refetch()}>
            Try again
          </Button>
        </div>
      ) : items.length === 0 ? (
        <EmptyState title="No versions yet">The next save keeps the first one.</EmptyState>
      ) : (
        <div className="space-y-4">
          <ul aria-label="Versions" className="space-y-1.5">
            {items.map((v) => (
              <VersionRow
                key={v.version}
                v={v}
                latest={v.version === latest}
                selected={v.version === selected}
                onSelect={() => setSelected(v.version)}
              />
            ))}
          </ul>
          {list.data?.next_before !== null && list.data !== undefined ? (
            <p className="text-xs text-zinc-500 dark:text-zinc-400">
              The {items.length} newest versions are shown.
            </p>
          ) : null}
          {selected !== null && chosen === null ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              This is the current version. Choose an older one to compare.
            </p>
          ) : null}
          {chosen !== null ? (
            <div className="space-y-3 border-t border-zinc-200 pt-4 dark:border-zinc-800">
              <VersionDiff workflowId={workflow.id} version={chosen} current={workflow} />
              {canEdit ? (
                <div className="flex justify-end">
                  <Button onClick={() => setConfirming(true)} loading={restore.isPending}>
                    Restore version {chosen}
                  </Button>
                </div>
              ) : null}
              {restore.isError ? (
                <ProblemAlert error={restore.error} context="Could not restore the version" />
              ) : null}
            </div>
          ) : null}
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Restore version ${chosen ?? ""}?`}
        description={
          dirty
            ? "Its nodes and settings become the workflow's again, saved as a new version. Your unsaved changes in the editor are replaced."
            : "Its nodes and settings become the workflow's again, saved as a new version. The current version stays in the list."
        }
        confirmLabel="Restore"
        danger={false}
        busy={restore.isPending}
        onConfirm={() => {
          if (workflow === undefined || chosen === null) return;
          restore.mutate(
            { id: workflow.id, version: chosen, current: workflow.version },
            {
              onSuccess: (saved) => {
                setSelected(null);
                onRestored(saved);
              },
              onSettled: () => setConfirming(false),
            },
          );
        }}
      />
    </Sheet>
  );
}
