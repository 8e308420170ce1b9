"use client";

import { useReactFlow } from "@xyflow/react";
import { useRef } from "react";

import { useEditorStore } from "@/store/editorStore";

import { Button } from "../ui/Button";
import { StrokeIcon } from "../ui/StrokeIcon";
import { Tooltip } from "../ui/Tooltip";

export interface EditorToolbarProps {
  editable: boolean;
  saving: boolean;
  validating: boolean;
  onSave: () => void;
  onValidate: () => void;
  onRun: () => void;
  onExport: () => void;
  onImportFile: (file: File) => void;
  /** Opens the triggers panel (webhooks, schedules). */
  onTriggers: () => void;
  onVersions: () => void;
  /** Opens the run budget dialog. */
  onBudget: () => void;
}

/** Name, undo/redo, layout, validate, import/export, triggers, save and run. */
export function EditorToolbar({
  editable,
  saving,
  validating,
  onSave,
  onValidate,
  onRun,
  onExport,
  onImportFile,
  onTriggers,
  onVersions,
  onBudget,
}: EditorToolbarProps) {
  const name = useEditorStore((s) => s.name);
  const dirty = useEditorStore((s) => s.dirty);
  const canUndo = useEditorStore((s) => s.past.length > 0);
  const canRedo = useEditorStore((s) => s.future.length > 0);
  const setMeta = useEditorStore((s) => s.setMeta);
  const undo = useEditorStore((s) => s.undo);
  const redo = useEditorStore((s) => s.redo);
  const layout = useEditorStore((s) => s.layout);
  const budgeted = useEditorStore((s) => s.budget !== undefined);
  const file = useRef<HTMLInputElement>(null);
  const flow = useReactFlow();

  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-zinc-200 bg-white px-3 py-2 dark:border-zinc-800 dark:bg-zinc-900">
      <label htmlFor="wf-name" className="sr-only">
        Workflow name
      </label>
      <input
        id="wf-name"
        value={name}
        readOnly={!editable}
        placeholder="Untitled workflow"
        onChange={(e) => setMeta({ name: e.target.value })}
        className="h-8 min-w-40 flex-1 rounded-md border border-transparent bg-transparent px-2 text-base font-semibold hover:border-zinc-300 focus-visible:border-indigo-500 focus-visible:outline-none dark:hover:border-zinc-700"
      />
      <span
        className="w-28 text-xs whitespace-nowrap text-zinc-500 dark:text-zinc-400"
        aria-live="polite"
      >
        {editable ? (dirty ? "Unsaved changes" : "All changes saved") : "Read only"}
      </span>
      {editable ? (
        <>
          <Tooltip content="Undo (Ctrl+Z)">
            <Button
              variant="ghost"
              size="sm"
              onClick={undo}
              disabled={!canUndo}
              aria-keyshortcuts="Control+Z"
            >
              Undo
            </Button>
          </Tooltip>
          <Tooltip content="Redo (Ctrl+Shift+Z)">
            <Button
              variant="ghost"
              size="sm"
              onClick={redo}
              disabled={!canRedo}
              aria-keyshortcuts="Control+Shift+Z"
            >
              Redo
            </Button>
          </Tooltip>
          <Button
            variant="ghost"
            size="sm"
            onClick={() => {
              layout();
              requestAnimationFrame(
                () => void flow.fitView({ padding: 0.3, maxZoom: 1.2, duration: 200 }),
              );
            }}
          >
            Auto-layout
          </Button>
          <Button variant="ghost" size="sm" onClick={onValidate} loading={validating}>
            Validate
          </Button>
          <Button variant="ghost" size="sm" onClick={() => file.current?.click()}>
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
              if (f !== undefined) onImportFile(f);
              e.target.value = "";
            }}
          />
        </>
      ) : null}
      <Button variant="ghost" size="sm" onClick={onExport}>
        Export
      </Button>
      <Tooltip content="Webhooks and schedules">
        <Button variant="ghost" size="sm" onClick={onTriggers} aria-haspopup="dialog">
          <StrokeIcon d="M13 2 4 14h7l-1 8 9-12h-7z" />
          Triggers
        </Button>
      </Tooltip>
      <Tooltip content="Limits on tokens, cost, steps and time of each run">
        <Button
          variant="ghost"
          size="sm"
          onClick={onBudget}
          aria-haspopup="dialog"
          aria-label={budgeted ? "Budget (set)" : "Budget"}
        >
          Budget
          {budgeted ? (
            <span className="rounded bg-indigo-50 px-1 text-xs text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300">
              set
            </span>
          ) : null}
        </Button>
      </Tooltip>
      <Tooltip content="Saved versions: compare, restore">
        <Button variant="ghost" size="sm" onClick={onVersions} aria-haspopup="dialog">
          <StrokeIcon d={["M3 12a9 9 0 1 0 3-6.7L3 8", "M3 3v5h5M12 7v5l3 2"]} />
          Versions
        </Button>
      </Tooltip>
      {editable ? (
        <>
          <Tooltip content="Save (Ctrl+S)">
            <Button
              variant="secondary"
              size="sm"
              onClick={onSave}
              loading={saving}
              aria-keyshortcuts="Control+S"
            >
              Save
            </Button>
          </Tooltip>
          <Button size="sm" onClick={onRun}>
            Run
          </Button>
        </>
      ) : null}
    </div>
  );
}
