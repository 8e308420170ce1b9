"use client";

import type { NodeProps } from "@xyflow/react";

import { useNodeTypes } from "@/api";
import type { FlowNode } from "@/lib/graph";
import { useEditorStore } from "@/store/editorStore";

import { NodeCard } from "./NodeCard";

/** A node on the editor canvas, with its validation errors. */
export function FlowNodeView({ id, data, selected, isConnectable }: NodeProps<FlowNode>) {
  const types = useNodeTypes();
  const errors = useEditorStore((s) => s.errors.byNode[id]);
  return (
    <NodeCard
      id={id}
      kind={data.kind}
      config={data.config}
      nodeType={types.data?.find((t) => t.type === data.kind)}
      selected={selected}
      errors={errors}
      connectable={isConnectable}
    />
  );
}
