"use client";

import { Background, Controls, ReactFlow, type NodeTypes } from "@xyflow/react";
import { useMemo } from "react";

import type { WorkflowDefinition } from "@/api";
import { definitionToGraph, ERROR_COLOUR, ERROR_HANDLE } from "@/lib/graph";
import { autoLayout } from "@/lib/layout";
import type { ReplayMark } from "@/lib/replay";
import type { NodeRunState } from "@/lib/runState";

import { RunNodeView, type RunNode } from "../workflows/RunNodeView";

const NODE_TYPES: NodeTypes = { run: RunNodeView };

function errorText(e: unknown): string {
  if (e === undefined || e === null) return "";
  if (typeof e === "string") return e;
  if (typeof e === "object" && "message" in e && typeof e.message === "string") return e.message;
  return JSON.stringify(e);
}

/**
 * The run's graph, each node coloured by its status (and, in a replay, marked by how it
 * compares with the original); pressing a node selects it.
 */
export function RunGraph({
  definition,
  states,
  selected,
  onSelect,
  marks,
}: {
  definition: WorkflowDefinition;
  states: Record<string, NodeRunState>;
  selected: string | null;
  onSelect: (id: string) => void;
  marks?: Record<string, ReplayMark>;
}) {
  const graph = useMemo(() => {
    const g = definitionToGraph(definition);
    // Workflows made through the API may have no positions: lay them out.
    const positioned = definition.nodes.every((n) => n.position !== undefined);
    return positioned ? g : { ...g, nodes: autoLayout(g.nodes, g.edges) };
  }, [definition]);
  const errorWired = new Set(
    graph.edges.filter((e) => e.sourceHandle === ERROR_HANDLE).map((e) => e.source),
  );
  const nodes: RunNode[] = graph.nodes.map((n) => {
    const s = states[n.id];
    return {
      ...n,
      type: "run",
      selected: n.id === selected,
      data: {
        ...n.data,
        status: s?.status ?? "queued",
        tokens: s?.tokens ?? "",
        error: s?.status === "failed" ? errorText(s.error) : "",
        errorWired: errorWired.has(n.id),
        mark: marks?.[n.id],
      },
    };
  });
  const edges = graph.edges.map((e) => {
    const s = states[e.source]?.status;
    if (e.sourceHandle !== ERROR_HANDLE) return { ...e, animated: s === "running" };
    // The error path: taken when the node failed and what it leads to went on.
    const t = states[e.target]?.status;
    const taken = s === "failed" && t !== undefined && t !== "queued" && t !== "skipped";
    return taken
      ? {
          ...e,
          label: "error path",
          style: { stroke: ERROR_COLOUR, strokeWidth: 2.5 },
          animated: t === "running",
          ariaLabel: `Error path taken from ${e.source} to ${e.target}`,
        }
      : { ...e, style: { ...e.style, opacity: 0.45 } };
  });
  return (
    <ReactFlow
      aria-label="Execution graph"
      nodes={nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable
      onNodeClick={(_e, n) => onSelect(n.id)}
      deleteKeyCode={null}
      fitView
      minZoom={0.2}
      fitViewOptions={{ padding: 0.25, maxZoom: 1.1 }}
      proOptions={{ hideAttribution: true }}
    >
      <Background gap={16} />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}
