/**
 * The workflow editor's state: the canvas graph, the selection, undo/redo
 * history, the dirty flag and validation errors per node. The one Zustand store
 * of the editor; server data stays in TanStack Query.
 */

import {
  addEdge,
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from "@xyflow/react";
import { create } from "zustand";

import type { JsonObject, NodeType, RunBudget, WorkflowDefinition } from "@/api/types";
import {
  canConnect,
  DEFAULT_HANDLE,
  defaultConfig,
  definitionToGraph,
  edgeId,
  edgeLook,
  graphToDefinition,
  isValidNodeId,
  nextNodeId,
  rehandle,
  type FlowEdge,
  type FlowNode,
} from "@/lib/graph";
import { autoLayout } from "@/lib/layout";
import type { NodeErrors } from "@/lib/validation";

const HISTORY_LIMIT = 100;
/** Config edits of the same node within this time are undone together (typing). */
const COALESCE_MS = 1500;
let lastConfigEdit = { id: "", at: 0 };

interface Snapshot {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

export interface EditorState {
  workflowId: string | null;
  name: string;
  description: string;
  version: number;
  nodes: FlowNode[];
  edges: FlowEdge[];
  past: Snapshot[];
  future: Snapshot[];
  dirty: boolean;
  errors: NodeErrors;

  /** The run budget kept with the definition (none: undefined). */
  budget: RunBudget | undefined;
  setBudget: (budget: RunBudget | undefined) => void;
  load: (wf: {
    id: string | null;
    name: string;
    description?: string | null;
    version: number;
    definition: WorkflowDefinition;
  }) => void;
  setMeta: (meta: { name?: string; description?: string }) => void;
  onNodesChange: (changes: NodeChange<FlowNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<FlowEdge>[]) => void;
  /** Call when a drag starts so the move can be undone. */
  beginDrag: () => void;
  connect: (c: Connection) => boolean;
  addNode: (nt: NodeType | undefined, type: string, position: { x: number; y: number }) => string;
  select: (id: string | null) => void;
  deleteSelected: () => void;
  /**
   * Sets a node's config; "handles" maps output handles of the node that the change renames
   * (old name → new) or removes (old name → null): its edges from them follow.
   */
  updateConfig: (id: string, config: JsonObject, handles?: Record<string, string | null>) => void;
  /** Renames a node and its edges; returns an error message, or null when done. */
  renameNode: (from: string, to: string) => string | null;
  replaceDefinition: (def: WorkflowDefinition) => void;
  layout: () => void;
  undo: () => void;
  redo: () => void;
  setErrors: (errors: NodeErrors) => void;
  markSaved: (saved: { id: string; version: number }) => void;
  definition: () => WorkflowDefinition;
}

const NO_ERRORS: NodeErrors = { byNode: {}, general: [] };

/* The graph without selection flags, for history. */
function snap(s: { nodes: FlowNode[]; edges: FlowEdge[] }): Snapshot {
  return { nodes: s.nodes, edges: s.edges };
}

export const useEditorStore = create<EditorState>()((set, get) => {
  /* Records the current graph for undo; clears redo. */
  const record = () => {
    lastConfigEdit = { id: "", at: 0 };
    set((s) => ({ past: [...s.past, snap(s)].slice(-HISTORY_LIMIT), future: [] }));
  };

  return {
    workflowId: null,
    name: "",
    description: "",
    version: 0,
    nodes: [],
    edges: [],
    past: [],
    future: [],
    dirty: false,
    errors: NO_ERRORS,
    budget: undefined,

    setBudget: (budget) => set({ budget, dirty: true }),

    load: (wf) => {
      const { nodes, edges } = definitionToGraph(wf.definition);
      const positioned = wf.definition.nodes.every((n) => n.position !== undefined);
      set({
        budget: wf.definition.budget,
        workflowId: wf.id,
        name: wf.name,
        description: wf.description ?? "",
        version: wf.version,
        nodes: positioned || nodes.length === 0 ? nodes : autoLayout(nodes, edges),
        edges,
        past: [],
        future: [],
        dirty: false,
        errors: NO_ERRORS,
      });
    },

    setMeta: (meta) => set({ ...meta, dirty: true }),

    onNodesChange: (changes) => {
      const structural = changes.some((c) => c.type === "remove" || c.type === "add");
      if (structural) record();
      const edits = changes.some(
        (c) =>
          c.type === "position" || c.type === "remove" || c.type === "add" || c.type === "replace",
      );
      set((s) => {
        const nodes = applyNodeChanges(changes, s.nodes);
        const ids = new Set(nodes.map((n) => n.id));
        const edges = structural
          ? s.edges.filter((e) => ids.has(e.source) && ids.has(e.target))
          : s.edges;
        return { nodes, edges, dirty: s.dirty || edits };
      });
    },

    onEdgesChange: (changes) => {
      const structural = changes.some((c) => c.type === "remove" || c.type === "add");
      if (structural) record();
      set((s) => ({
        edges: applyEdgeChanges(changes, s.edges),
        dirty: s.dirty || structural,
      }));
    },

    beginDrag: () => record(),

    connect: (c) => {
      const { edges } = get();
      if (!canConnect(edges, c.source, c.sourceHandle, c.target)) return false;
      record();
      const handle = c.sourceHandle ?? DEFAULT_HANDLE;
      const edge: FlowEdge = {
        id: edgeId({ source: c.source, target: c.target, source_handle: handle }),
        source: c.source,
        target: c.target,
        sourceHandle: handle,
        ...edgeLook(handle),
      };
      set((s) => ({ edges: addEdge(edge, s.edges), dirty: true }));
      return true;
    },

    addNode: (nt, type, position) => {
      record();
      const id = nextNodeId(type, new Set(get().nodes.map((n) => n.id)));
      const node: FlowNode = {
        id,
        type: "fragent",
        position,
        selected: true,
        data: { kind: type, config: defaultConfig(nt) },
      };
      set((s) => ({
        nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node],
        dirty: true,
      }));
      return id;
    },

    select: (id) =>
      set((s) => ({
        nodes: s.nodes.map((n) =>
          n.selected === (n.id === id) ? n : { ...n, selected: n.id === id },
        ),
        edges: s.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
      })),

    deleteSelected: () => {
      const { nodes, edges } = get();
      const gone = new Set(nodes.filter((n) => n.selected).map((n) => n.id));
      const edgesLeft = edges.filter(
        (e) => !e.selected && !gone.has(e.source) && !gone.has(e.target),
      );
      if (gone.size === 0 && edgesLeft.length === edges.length) return;
      record();
      set({ nodes: nodes.filter((n) => !gone.has(n.id)), edges: edgesLeft, dirty: true });
    },

    updateConfig: (id, config, handles) => {
      const now = Date.now();
      if (lastConfigEdit.id !== id || now - lastConfigEdit.at > COALESCE_MS) record();
      lastConfigEdit = { id, at: now };
      set((s) => ({
        nodes: s.nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, config } } : n)),
        edges: handles === undefined ? s.edges : rehandle(s.edges, id, handles),
        dirty: true,
      }));
    },

    renameNode: (from, to) => {
      if (from === to) return null;
      if (!isValidNodeId(to)) {
        return 'Use letters, digits and "_", not starting with a digit, and not "input".';
      }
      if (get().nodes.some((n) => n.id === to)) return `A node "${to}" already exists.`;
      record();
      set((s) => ({
        nodes: s.nodes.map((n) => (n.id === from ? { ...n, id: to } : n)),
        edges: s.edges.map((e) => {
          if (e.source !== from && e.target !== from) return e;
          const source = e.source === from ? to : e.source;
          const target = e.target === from ? to : e.target;
          const handle = e.sourceHandle ?? DEFAULT_HANDLE;
          return { ...e, source, target, id: edgeId({ source, target, source_handle: handle }) };
        }),
        dirty: true,
      }));
      return null;
    },

    replaceDefinition: (def) => {
      record();
      const { nodes, edges } = definitionToGraph(def);
      const positioned = def.nodes.every((n) => n.position !== undefined);
      set({
        nodes: positioned ? nodes : autoLayout(nodes, edges),
        edges,
        budget: def.budget,
        dirty: true,
        errors: NO_ERRORS,
      });
    },

    layout: () => {
      record();
      set((s) => ({ nodes: autoLayout(s.nodes, s.edges), dirty: true }));
    },

    undo: () => {
      const { past } = get();
      const prev = past[past.length - 1];
      if (prev === undefined) return;
      set((s) => ({
        past: s.past.slice(0, -1),
        future: [snap(s), ...s.future],
        nodes: prev.nodes,
        edges: prev.edges,
        dirty: true,
      }));
    },

    redo: () => {
      const { future } = get();
      const next = future[0];
      if (next === undefined) return;
      set((s) => ({
        past: [...s.past, snap(s)],
        future: s.future.slice(1),
        nodes: next.nodes,
        edges: next.edges,
        dirty: true,
      }));
    },

    setErrors: (errors) => set({ errors }),

    markSaved: ({ id, version }) =>
      set({ workflowId: id, version, dirty: false, errors: NO_ERRORS }),

    definition: () => {
      const { budget } = get();
      return {
        ...graphToDefinition(get().nodes, get().edges),
        ...(budget !== undefined && Object.keys(budget).length > 0 ? { budget } : {}),
      };
    },
  };
});
