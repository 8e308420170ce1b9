"use client";

import { useState } from "react";

import type { JsonSchema, NodeType } from "@/api";
import { nodeCases, upstreamOf } from "@/lib/graph";
import { useEditorStore } from "@/store/editorStore";

import { Button } from "../ui/Button";
import { Field } from "../ui/Field";
import { Input } from "../ui/Input";
import { CasesEditor } from "./CasesEditor";
import { NodeConnections } from "./NodeConnections";
import { SchemaForm } from "./SchemaForm";

/** The handle names no case may take: every type's named outputs, and "error". */
function reservedHandles(types: readonly NodeType[]): string[] {
  const names = new Set<string>();
  for (const t of types) {
    for (const o of t.handles.outputs) names.add(o);
    if (t.handles.error !== undefined) names.add(t.handles.error);
  }
  return [...names];
}

/** The side panel: the selected node's id, config form, hints and problems. */
export function NodeInspector({
  types,
  editable,
}: {
  types: readonly NodeType[];
  editable: boolean;
}) {
  const node = useEditorStore((s) => s.nodes.find((n) => n.selected));
  const edges = useEditorStore((s) => s.edges);
  const errors = useEditorStore((s) => (node === undefined ? undefined : s.errors.byNode[node.id]));
  const updateConfig = useEditorStore((s) => s.updateConfig);
  const renameNode = useEditorStore((s) => s.renameNode);
  const deleteSelected = useEditorStore((s) => s.deleteSelected);
  const [draftId, setDraftId] = useState<{ for: string; value: string } | null>(null);
  const [renameError, setRenameError] = useState("");

  if (node === undefined) {
    return (
      <div className="p-4 text-sm text-zinc-600 dark:text-zinc-400">
        <h2 className="mb-2 text-sm font-semibold text-zinc-900 dark:text-zinc-100">
          Node settings
        </h2>
        Select a node to edit its settings.{" "}
        {editable
          ? "Connect nodes by dragging from the dot on a node's right edge to another node."
          : null}
      </div>
    );
  }
  const nt = types.find((t) => t.type === node.data.kind);
  const casesMember = nt?.handles.cases;
  // A switch's cases have their own editor; the form shows the other members.
  let schema: JsonSchema = nt?.config_schema ?? { type: "object" };
  if (casesMember !== undefined && schema.properties !== undefined) {
    const rest = { ...schema.properties };
    delete rest[casesMember];
    schema = { ...schema, properties: rest };
  }
  const idValue = draftId !== null && draftId.for === node.id ? draftId.value : node.id;
  const commitId = () => {
    if (draftId === null || draftId.for !== node.id) return;
    const err = renameNode(node.id, draftId.value.trim());
    setRenameError(err ?? "");
    if (err === null) setDraftId(null);
  };
  return (
    <section aria-label="Node settings" className="space-y-4 p-4">
      <div>
        <h2 className="text-sm font-semibold">{nt?.title ?? node.data.kind}</h2>
        {nt?.description ? (
          <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">{nt.description}</p>
        ) : null}
      </div>
      <Field
        id="node-id"
        label="Node id"
        hint={
          <>
            Other nodes read this node&apos;s result as{" "}
            <code className="font-mono">.{node.id}.output</code>.
          </>
        }
        error={renameError}
      >
        <Input
          id="node-id"
          value={idValue}
          disabled={!editable}
          className="font-mono"
          onChange={(e) => setDraftId({ for: node.id, value: e.target.value })}
          onBlur={commitId}
          onKeyDown={(e) => {
            if (e.key === "Enter") commitId();
          }}
        />
      </Field>
      {errors !== undefined && errors.length > 0 ? (
        <div
          role="alert"
          className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-100"
        >
          <p className="font-semibold">Problems</p>
          <ul className="mt-1 list-disc pl-5">
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {casesMember !== undefined ? (
        <CasesEditor
          key={`cases-${node.id}`}
          idPrefix={`cfg-${node.id}`}
          member={casesMember}
          cases={nodeCases(nt, node.data.config)}
          config={node.data.config}
          reserved={reservedHandles(types)}
          disabled={!editable}
          onChange={(config, handles) => updateConfig(node.id, config, handles)}
        />
      ) : null}
      <SchemaForm
        key={`form-${node.id}`}
        idPrefix={`cfg-${node.id}`}
        schema={schema}
        value={node.data.config}
        onChange={(config) => updateConfig(node.id, config)}
        disabled={!editable}
        upstream={upstreamOf(edges, node.id)}
      />
      {editable ? (
        <NodeConnections
          key={`connections-${node.id}`}
          nodeId={node.id}
          nodeType={nt}
          config={node.data.config}
        />
      ) : null}
      {editable ? (
        <Button variant="secondary" size="sm" onClick={deleteSelected}>
          Delete node
        </Button>
      ) : null}
    </section>
  );
}
