"use client";

import Link from "next/link";
import { useRef, useState } from "react";

import {
  useCanEdit,
  useDeleteWorkflow,
  useImportWorkflow,
  useWorkflows,
  type WorkflowSummary,
} from "@/api";
import { formatDateTime } from "@/lib/format";
import { toast } from "@/store/toastStore";

import { EmptyState } from "../EmptyState";
import { TableSkeleton } from "../executions/TableSkeleton";
import { PageHeader } from "../PageHeader";
import { ProblemAlert } from "../ProblemAlert";
import { SearchInput } from "../SearchInput";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { parseExport } from "./exportFile";

const linkButton =
  "inline-flex h-10 items-center rounded-lg bg-indigo-600 px-4 text-sm font-medium text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:bg-indigo-500 dark:hover:bg-indigo-400";

/** The workflows: search, open, import, delete, create. */
export function WorkflowsPage() {
  const [q, setQ] = useState("");
  const list = useWorkflows(q);
  const canEdit = useCanEdit();
  const del = useDeleteWorkflow();
  const imp = useImportWorkflow();
  const [doomed, setDoomed] = useState<WorkflowSummary | null>(null);
  const file = useRef<HTMLInputElement>(null);

  const onFile = (f: File) => {
    void f.text().then((text) => {
      try {
        imp.mutate(parseExport(text, f.name.replace(/\.json$/i, "")), {
          onSuccess: (wf) => toast({ kind: "success", title: `Imported “${wf.name}”` }),
        });
      } catch (err) {
        toast({
          kind: "error",
          title: "Could not import",
          detail: err instanceof Error ? err.message : String(err),
        });
      }
    });
  };

  return (
    <div className="mx-auto max-w-6xl space-y-6 p-6">
      <PageHeader
        title="Workflows"
        description="Graphs of steps that run from their inputs to their outputs."
        actions={
          canEdit ? (
            <>
              <Button
                variant="secondary"
                loading={imp.isPending}
                onClick={() => file.current?.click()}
              >
                Import
              </Button>
              <input
                ref={file}
                type="file"
                accept="application/json,.json"
                className="hidden"
                aria-label="Import workflow file"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  if (f !== undefined) onFile(f);
                  e.target.value = "";
                }}
              />
              <Link href="/workflows/edit/" className={linkButton}>
                New workflow
              </Link>
            </>
          ) : undefined
        }
      />
      <SearchInput label="Search workflows" onSearch={setQ} />
      <Card aria-label="Workflow list">
        {list.isPending ? (
          <TableSkeleton />
        ) : list.isError ? (
          <div className="p-4">
            <ProblemAlert
              error={list.error}
              context="Could not load workflows"
              onRetry={() => void list.refetch()}
            />
          </div>
        ) : list.data.items.length === 0 ? (
          <EmptyState title={q === "" ? "No workflows yet" : "No workflow matches"}>
            {q !== ""
              ? "Try another name."
              : canEdit
                ? "Press New workflow to open the editor: drag nodes from the palette, connect them, save and run."
                : "Workflows that editors share with you appear here."}
          </EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {list.data.items.map((w) => (
              <li key={w.id} className="flex items-center gap-4 px-4 py-3">
                <div className="min-w-0 flex-1">
                  <Link
                    href={`/workflows/edit/?id=${encodeURIComponent(w.id)}`}
                    className="font-medium hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500"
                  >
                    {w.name}
                  </Link>
                  <p className="truncate text-sm text-zinc-600 dark:text-zinc-400">
                    {w.description || "No description"} · version {w.version} · updated{" "}
                    {formatDateTime(w.updated_at)}
                  </p>
                </div>
                <Link
                  href={`/executions/?workflow_id=${encodeURIComponent(w.id)}`}
                  className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400"
                >
                  Runs<span className="sr-only"> of {w.name}</span>
                </Link>
                {canEdit ? (
                  <Button
                    variant="ghost"
                    size="sm"
                    onClick={() => setDoomed(w)}
                    aria-label={`Delete ${w.name}`}
                  >
                    Delete
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <ConfirmDialog
        open={doomed !== null}
        onOpenChange={(o) => {
          if (!o) setDoomed(null);
        }}
        title="Delete workflow?"
        description={`“${doomed?.name ?? ""}” will be deleted. Its past executions stay in the history.`}
        confirmLabel="Delete"
        busy={del.isPending}
        onConfirm={() => {
          if (doomed !== null) del.mutate(doomed.id, { onSettled: () => setDoomed(null) });
        }}
      />
    </div>
  );
}
