"use client";

import type { Node, NodeProps } from "@xyflow/react";

import { useNodeTypes, type NodeStatus } from "@/api";
import type { FlowNodeData } from "@/lib/graph";
import type { ReplayMark } from "@/lib/replay";

import { NodeCard } from "./NodeCard";

export type RunNode = Node<
  FlowNodeData & {
    status: NodeStatus;
    tokens: string;
    error: string;
    errorWired: boolean;
    mark?: ReplayMark;
  },
  "run"
>;

/** A node on the execution monitor's graph, coloured by its live status. */
export function RunNodeView({ id, data, selected }: NodeProps<RunNode>) {
  const types = useNodeTypes();
  return (
    <NodeCard
      id={id}
      kind={data.kind}
      config={data.config}
      nodeType={types.data?.find((t) => t.type === data.kind)}
      selected={selected}
      status={data.status}
      tokens={data.status === "running" ? data.tokens : undefined}
      errors={data.error !== "" ? [data.error] : undefined}
      connectable={false}
      errorWired={data.errorWired}
      mark={data.mark}
    />
  );
}
