"use client";

import { useState } from "react";

import type { JsonObject, NodeType } from "@/api";
import { canConnect, DEFAULT_HANDLE, nodeOutputs } from "@/lib/graph";
import { useEditorStore } from "@/store/editorStore";

import { Button } from "../ui/Button";
import { Label } from "../ui/Label";
import { Select } from "../ui/Select";

/**
 * The selected node's outgoing connections as a list, with a way to add and
 * remove them without dragging (keyboard and screen-reader users).
 */
export function NodeConnections({
  nodeId,
  nodeType,
  config,
}: {
  nodeId: string;
  nodeType: NodeType | undefined;
  config: JsonObject;
}) {
  const edges = useEditorStore((s) => s.edges);
  const nodes = useEditorStore((s) => s.nodes);
  const connect = useEditorStore((s) => s.connect);
  const onEdgesChange = useEditorStore((s) => s.onEdgesChange);
  const errorHandle = nodeType?.handles.error;
  const outputs = [
    ...nodeOutputs(nodeType, config),
    ...(errorHandle !== undefined ? [errorHandle] : []),
  ];
  const [handle, setHandle] = useState(outputs[0] ?? DEFAULT_HANDLE);
  const [target, setTarget] = useState("");
  if (outputs.length === 0) return null;

  const outgoing = edges.filter((e) => e.source === nodeId);
  const targets = nodes
    .filter((n) => canConnect(edges, nodeId, handle, n.id))
    .map((n) => ({ value: n.id, label: n.id }));
  const effectiveHandle = outputs.includes(handle) ? handle : (outputs[0] ?? DEFAULT_HANDLE);

  return (
    <section aria-label="Connections" className="space-y-2">
      <h3 className="text-sm font-medium">Connections</h3>
      {outgoing.length === 0 ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">No outgoing connection.</p>
      ) : (
        <ul className="space-y-1">
          {outgoing.map((e) => {
            const h = e.sourceHandle ?? DEFAULT_HANDLE;
            const text = `${h !== DEFAULT_HANDLE ? `${h} → ` : "→ "}${e.target}`;
            return (
              <li key={e.id} className="flex items-center justify-between gap-2 text-sm">
                <span className="font-mono">{text}</span>
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={`Remove connection ${nodeId} ${text}`}
                  onClick={() => onEdgesChange([{ type: "remove", id: e.id }])}
                >
                  Remove
                </Button>
              </li>
            );
          })}
        </ul>
      )}
      <div className="flex items-end gap-2">
        {outputs.length > 1 ? (
          <div className="w-24 space-y-1">
            <Label htmlFor="conn-handle" className="text-xs">
              Branch
            </Label>
            <Select
              id="conn-handle"
              value={effectiveHandle}
              onChange={setHandle}
              options={outputs.map((o) => ({ value: o, label: o }))}
            />
          </div>
        ) : null}
        <div className="min-w-0 flex-1 space-y-1">
          <Label htmlFor="conn-target" className="text-xs">
            Connect to
          </Label>
          <Select
            id="conn-target"
            value={targets.some((t) => t.value === target) ? target : ""}
            onChange={setTarget}
            placeholder="Choose a node"
            options={[{ value: "", label: "Choose a node" }, ...targets]}
          />
        </div>
        <Button
          variant="secondary"
          size="sm"
          disabled={!targets.some((t) => t.value === target)}
          onClick={() => {
            if (
              connect({ source: nodeId, sourceHandle: effectiveHandle, target, targetHandle: null })
            )
              setTarget("");
          }}
        >
          Add
        </Button>
      </div>
    </section>
  );
}
