"use client";

import Link from "next/link";
import { useRef, useState } from "react";

import {
  useCanEdit,
  useDeleteWorkflow,
  useImportWorkflow,
  useWorkflowList,
  type WorkflowSummary,
} from "@/api";
import { formatDateTime } from "@/lib/format";
import { toast } from "@/store/toastStore";

import { ListView } from "../list/ListView";
import { LIST, ROW, ROW_LINK, ROW_NOTE } from "../list/styles";
import { PageHeader } from "../PageHeader";
import { Button } from "../ui/Button";
import { ButtonLink } from "../ui/ButtonLink";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { parseExport } from "./exportFile";

/** The workflows, searchable, page by page: open, import, delete, create. */
export function WorkflowsPage() {
  const [q, setQ] = useState("");
  const list = useWorkflowList(q);
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
              <ButtonLink href="/workflows/edit/">New workflow</ButtonLink>
            </>
          ) : undefined
        }
      />
      <ListView
        label="Workflow list"
        list={list}
        noun={["workflow", "workflows"]}
        search={{ label: "Search workflows", onSearch: setQ }}
        filtered={q !== ""}
        noMatch={{ title: "No workflow matches", body: "Try another name." }}
        empty={{
          title: "No workflows yet",
          body: canEdit
            ? "Open the editor, drag nodes from the palette, connect them, save and run. Or import an export file."
            : "Workflows that editors share with you appear here.",
          action: canEdit ? (
            <ButtonLink href="/workflows/edit/" variant="secondary" size="sm">
              Create your first workflow
            </ButtonLink>
          ) : undefined,
        }}
      >
        {(items) => (
          <ul className={LIST}>
            {items.map((w) => (
              <li key={w.id} className={ROW}>
                <div className="min-w-0 flex-1">
                  <Link
                    href={`/workflows/edit/?id=${encodeURIComponent(w.id)}`}
                    className={ROW_LINK}
                  >
                    {w.name}
                  </Link>
                  <p className={ROW_NOTE}>
                    {w.description || "No description"} · version {w.version} · updated{" "}
                    {formatDateTime(w.updated_at)}
                  </p>
                </div>
                <Link
                  href={`/executions/?workflow_id=${encodeURIComponent(w.id)}`}
                  className="rounded-sm text-sm font-medium text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:text-indigo-400"
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
      </ListView>
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
