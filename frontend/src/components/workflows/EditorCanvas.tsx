"use client";

import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  type IsValidConnection,
  type NodeTypes,
} from "@xyflow/react";
import { useEffect, useRef, type DragEvent } from "react";

import type { NodeType } from "@/api";
import { canConnect, type FlowEdge } from "@/lib/graph";
import { useEditorStore } from "@/store/editorStore";

import { FlowNodeView } from "./FlowNodeView";
import { DND_TYPE } from "./NodePalette";

const NODE_TYPES: NodeTypes = { fragent: FlowNodeView };

/** The editable graph. Needs a ReactFlowProvider around it. */
export function EditorCanvas({
  types,
  editable,
}: {
  types: readonly NodeType[];
  editable: boolean;
}) {
  const nodes = useEditorStore((s) => s.nodes);
  const edges = useEditorStore((s) => s.edges);
  const onNodesChange = useEditorStore((s) => s.onNodesChange);
  const onEdgesChange = useEditorStore((s) => s.onEdgesChange);
  const connect = useEditorStore((s) => s.connect);
  const beginDrag = useEditorStore((s) => s.beginDrag);
  const addNode = useEditorStore((s) => s.addNode);
  const flow = useReactFlow();
  const measured = useNodesInitialized();
  const framed = useRef(false);

  // Frame the graph once its nodes have their sizes (the first fitView may run
  // before the side panels settle); later additions do not move the view.
  useEffect(() => {
    if (!measured || framed.current) return;
    framed.current = true;
    requestAnimationFrame(() => void flow.fitView({ padding: 0.3, maxZoom: 1.2 }));
  }, [measured, flow]);

  const isValidConnection: IsValidConnection<FlowEdge> = (c) =>
    canConnect(useEditorStore.getState().edges, c.source, c.sourceHandle ?? null, c.target);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const type = e.dataTransfer.getData(DND_TYPE);
    if (!editable || type === "") return;
    const pos = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    addNode(
      types.find((t) => t.type === type),
      type,
      { x: pos.x - 100, y: pos.y - 30 },
    );
  };

  return (
    <div
      className="h-full w-full"
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(DND_TYPE)) {
          e.preventDefault();
          e.dataTransfer.dropEffect = "move";
        }
      }}
      onDrop={onDrop}
    >
      <ReactFlow
        aria-label="Workflow canvas"
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={(c) => connect(c)}
        onNodeDragStart={() => beginDrag()}
        isValidConnection={isValidConnection}
        nodesDraggable={editable}
        nodesConnectable={editable}
        edgesReconnectable={false}
        deleteKeyCode={editable ? ["Delete", "Backspace"] : null}
        fitView
        minZoom={0.2}
        fitViewOptions={{ padding: 0.3, maxZoom: 1.2 }}
        proOptions={{ hideAttribution: true }}
        defaultEdgeOptions={{ animated: false }}
      >
        <Background gap={16} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable ariaLabel="Minimap" className="!hidden xl:!block" />
      </ReactFlow>
    </div>
  );
}
