"use client";

import { ReactFlowProvider } from "@xyflow/react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";

import {
  toProblem,
  useCanEdit,
  useCreateWorkflow,
  useNodeTypes,
  useReloadWorkflow,
  useStartExecution,
  useUpdateWorkflow,
  useValidateWorkflow,
  useWorkflow,
  type Workflow,
} from "@/api";
import { referencedInputs } from "@/lib/graph";
import { mapProblemToNodes } from "@/lib/validation";
import { useEditorStore } from "@/store/editorStore";
import { toast } from "@/store/toastStore";

import { ProblemAlert } from "../ProblemAlert";
import { TriggersSheet } from "../triggers/TriggersSheet";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Skeleton } from "../ui/Skeleton";
import { EditorCanvas } from "./EditorCanvas";
import { EditorToolbar } from "./EditorToolbar";
import { downloadExport, parseExport } from "./exportFile";
import { NEW_WORKFLOW_DEFINITION } from "./newWorkflow";
import { NodeInspector } from "./NodeInspector";
import { NodePalette } from "./NodePalette";
import { RunDialog } from "./RunDialog";
import { BudgetDialog } from "./BudgetDialog";
import { VersionsSheet } from "./VersionsSheet";
import { useEditorShortcuts } from "./useEditorShortcuts";

const keyOf = (w: { id: string; version: number }) => `${w.id}@${w.version}`;

/** The workflow editor: palette, canvas, node settings; save, validate, run. */
export function WorkflowEditorPage() {
  const params = useSearchParams();
  const id = params.get("id");
  const router = useRouter();
  const canEdit = useCanEdit();
  const types = useNodeTypes();
  const wf = useWorkflow(id);
  const create = useCreateWorkflow();
  const update = useUpdateWorkflow();
  const validate = useValidateWorkflow();
  const start = useStartExecution();
  const reload = useReloadWorkflow();
  const load = useEditorStore((s) => s.load);
  const general = useEditorStore((s) => s.errors.general);
  const dirty = useEditorStore((s) => s.dirty);
  const workflowId = useEditorStore((s) => s.workflowId);
  const [triggersOpen, setTriggersOpen] = useState(false);
  const [versionsOpen, setVersionsOpen] = useState(false);
  const [budgetOpen, setBudgetOpen] = useState(false);
  const budget = useEditorStore((s) => s.budget);
  const setBudget = useEditorStore((s) => s.setBudget);
  const [runOpen, setRunOpen] = useState(false);
  const [runFields, setRunFields] = useState<string[]>([]);
  const [runKey, setRunKey] = useState(0);
  const [conflict, setConflict] = useState(false);
  const loaded = useRef<string | null>(null);

  useEffect(() => {
    if (id === null) {
      if (loaded.current !== "new") {
        loaded.current = "new";
        load({
          id: null,
          name: "",
          description: "",
          version: 0,
          definition: NEW_WORKFLOW_DEFINITION,
        });
      }
      return;
    }
    if (wf.data !== undefined && loaded.current !== keyOf(wf.data)) {
      loaded.current = keyOf(wf.data);
      load(wf.data);
    }
  }, [id, wf.data, load]);

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (useEditorStore.getState().dirty) e.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, []);

  const adopt = (saved: Workflow) => {
    loaded.current = keyOf(saved);
    useEditorStore.getState().markSaved(saved);
    if (id !== saved.id) router.replace(`/workflows/edit/?id=${encodeURIComponent(saved.id)}`);
  };

  const save = async (overwrite = false): Promise<string | null> => {
    const s = useEditorStore.getState();
    const definition = s.definition();
    const body = {
      name: s.name.trim() || "Untitled workflow",
      description: s.description,
      definition,
    };
    try {
      let saved: Workflow;
      if (s.workflowId === null) {
        saved = await create.mutateAsync(body);
      } else {
        const version = overwrite ? (await reload(s.workflowId)).version : s.version;
        saved = await update.mutateAsync({ id: s.workflowId, input: { ...body, version } });
      }
      if (s.name.trim() === "") s.setMeta({ name: saved.name });
      adopt(saved);
      toast({ kind: "success", title: "Workflow saved" });
      return saved.id;
    } catch (err) {
      const p = toProblem(err);
      if (p.status === 409) {
        setConflict(true);
      } else if (p.status === 422 && p.errors.length > 0) {
        const mapped = mapProblemToNodes(definition, p.errors);
        s.setErrors(mapped);
        toast({
          kind: "error",
          title: "The workflow has problems",
          detail: "They are marked on the nodes.",
        });
      } else {
        toast({ kind: "error", title: p.title, detail: p.detail });
      }
      return null;
    }
  };

  const onValidate = () => {
    const s = useEditorStore.getState();
    const definition = s.definition();
    validate.mutate(definition, {
      onSuccess: () => {
        s.setErrors({ byNode: {}, general: [] });
        toast({ kind: "success", title: "No problems found" });
      },
      onError: (err) => {
        const p = toProblem(err);
        if (p.status === 422) s.setErrors(mapProblemToNodes(definition, p.errors));
        toast({
          kind: "error",
          title: p.status === 422 ? "The workflow has problems" : p.title,
          detail: p.detail,
        });
      },
    });
  };

  const onRun = async () => {
    const s = useEditorStore.getState();
    const savedId = s.dirty || s.workflowId === null ? await save() : s.workflowId;
    if (savedId === null) return;
    setRunFields(referencedInputs(useEditorStore.getState().definition()));
    setRunKey((k) => k + 1);
    setRunOpen(true);
  };

  const onExport = () => {
    const s = useEditorStore.getState();
    downloadExport({
      fragent_export: 1,
      name: s.name || "workflow",
      description: s.description,
      definition: s.definition(),
    });
  };

  const onImportFile = (file: File) => {
    void file.text().then((text) => {
      try {
        const s = useEditorStore.getState();
        const doc = parseExport(text, s.name);
        s.replaceDefinition(doc.definition);
        if (s.workflowId === null) s.setMeta({ name: doc.name, description: doc.description });
        toast({ kind: "info", title: "Workflow imported", detail: "Save to keep it." });
      } catch (err) {
        toast({
          kind: "error",
          title: "Could not import",
          detail: err instanceof Error ? err.message : String(err),
        });
      }
    });
  };

  useEditorShortcuts(canEdit, () => void save());

  if (id !== null && wf.isError) {
    return (
      <div className="p-6">
        <ProblemAlert
          error={wf.error}
          context="Could not open the workflow"
          onRetry={() => void wf.refetch()}
        />
        <Link
          href="/workflows/"
          className="mt-4 inline-block text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400"
        >
          Back to workflows
        </Link>
      </div>
    );
  }
  const ready = (id === null || wf.data !== undefined) && types.data !== undefined;

  return (
    <ReactFlowProvider>
      <div className="flex h-[calc(100vh-3.5rem)] flex-col">
        <h1 className="sr-only">Workflow editor</h1>
        {ready ? (
          <EditorToolbar
            editable={canEdit}
            saving={create.isPending || update.isPending}
            validating={validate.isPending}
            onSave={() => void save()}
            onValidate={onValidate}
            onRun={() => void onRun()}
            onExport={onExport}
            onImportFile={onImportFile}
            onTriggers={() => setTriggersOpen(true)}
            onVersions={() => setVersionsOpen(true)}
            onBudget={() => setBudgetOpen(true)}
          />
        ) : (
          <div className="h-[49px] border-b border-zinc-200 dark:border-zinc-800" />
        )}
        {general.length > 0 ? (
          <div
            role="alert"
            className="border-b border-red-200 bg-red-50 px-4 py-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-100"
          >
            {general.join(" · ")}
          </div>
        ) : null}
        <div className="flex min-h-0 flex-1">
          {canEdit ? (
            <aside className="w-44 shrink-0 border-r border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-950">
              {types.data !== undefined ? (
                <NodePalette
                  types={types.data}
                  onAdd={(type) => {
                    const n = useEditorStore.getState().nodes.length;
                    useEditorStore.getState().addNode(
                      types.data.find((t) => t.type === type),
                      type,
                      { x: 260, y: 220 + n * 24 },
                    );
                  }}
                />
              ) : (
                <div className="space-y-2 p-3">
                  {[0, 1, 2, 3, 4].map((i) => (
                    <Skeleton key={i} className="h-12" />
                  ))}
                </div>
              )}
            </aside>
          ) : null}
          <div className="min-w-0 flex-1 bg-zinc-50 dark:bg-zinc-950">
            {ready && types.data !== undefined ? (
              <EditorCanvas types={types.data} editable={canEdit} />
            ) : types.isError ? (
              <div className="p-6">
                <ProblemAlert error={types.error} context="Could not load the node types" />
              </div>
            ) : (
              <div className="p-6" aria-busy="true" aria-label="Loading">
                <Skeleton className="h-full min-h-96 w-full" />
              </div>
            )}
          </div>
          <aside className="w-72 shrink-0 overflow-y-auto border-l border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
            {ready && types.data !== undefined ? (
              <NodeInspector types={types.data} editable={canEdit} />
            ) : null}
          </aside>
        </div>
        <TriggersSheet
          key={workflowId ?? "new"}
          open={triggersOpen}
          onOpenChange={setTriggersOpen}
          workflowId={workflowId}
          canEdit={canEdit}
          dirty={dirty}
          saving={create.isPending || update.isPending}
          onSave={() => void save()}
        />
        <BudgetDialog
          open={budgetOpen}
          onOpenChange={setBudgetOpen}
          budget={budget}
          editable={canEdit}
          onApply={setBudget}
        />
        <VersionsSheet
          key={`versions-${workflowId ?? "new"}`}
          open={versionsOpen}
          onOpenChange={setVersionsOpen}
          workflow={workflowId !== null ? wf.data : undefined}
          canEdit={canEdit}
          dirty={dirty}
          onRestored={(saved) => {
            setVersionsOpen(false);
            toast({ kind: "success", title: `Restored as version ${saved.version}` });
          }}
        />
        <RunDialog
          key={runKey}
          open={runOpen}
          onOpenChange={setRunOpen}
          fields={runFields}
          busy={start.isPending}
          onRun={(inputs) => {
            const wid = useEditorStore.getState().workflowId;
            if (wid === null) return;
            start.mutate(
              { workflowId: wid, inputs },
              {
                onSuccess: (ex) => router.push(`/executions/view/?id=${encodeURIComponent(ex.id)}`),
              },
            );
          }}
        />
        <Dialog
          open={conflict}
          onOpenChange={setConflict}
          title="This workflow changed elsewhere"
          description="Someone saved a newer version since you opened it. Reload it (your changes here are lost), or overwrite it with yours."
          footer={
            <>
              <Button variant="secondary" onClick={() => setConflict(false)}>
                Keep editing
              </Button>
              <Button
                variant="secondary"
                onClick={() => {
                  setConflict(false);
                  void save(true);
                }}
              >
                Overwrite with mine
              </Button>
              <Button
                onClick={() => {
                  const wid = useEditorStore.getState().workflowId;
                  setConflict(false);
                  if (wid !== null) {
                    void reload(wid).then((fresh) => {
                      loaded.current = keyOf(fresh);
                      load(fresh);
                    });
                  }
                }}
              >
                Reload
              </Button>
            </>
          }
        />
      </div>
    </ReactFlowProvider>
  );
}
