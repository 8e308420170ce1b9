"use client";

import { useUpdateNodeInternals, type NodeProps } from "@xyflow/react";
import { useEffect } from "react";

import { useNodeTypes } from "@/api";
import { nodeOutputs, type FlowNode } from "@/lib/graph";
import { useEditorStore } from "@/store/editorStore";

import { NodeCard } from "./NodeCard";

/** A node on the editor canvas, with its validation errors. */
export function FlowNodeView({ id, data, selected, isConnectable }: NodeProps<FlowNode>) {
  const types = useNodeTypes();
  const errors = useEditorStore((s) => s.errors.byNode[id]);
  const nodeType = types.data?.find((t) => t.type === data.kind);
  // A switch's handles follow its cases: React Flow must measure them again to wire them.
  const handles = nodeOutputs(nodeType, data.config).join("\n");
  const updateNodeInternals = useUpdateNodeInternals();
  useEffect(() => updateNodeInternals(id), [id, handles, updateNodeInternals]);
  return (
    <NodeCard
      id={id}
      kind={data.kind}
      config={data.config}
      nodeType={nodeType}
      selected={selected}
      errors={errors}
      connectable={isConnectable}
    />
  );
}
