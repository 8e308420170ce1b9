/**
 * Conversion between a workflow definition (the API's shape) and the nodes and
 * edges of the React Flow canvas. Pure; tested in graph.test.ts.
 */

import type { Edge, Node } from "@xyflow/react";

import type { JsonObject, NodeType, WorkflowDefinition, WorkflowEdge } from "@/api/types";

/** What a canvas node carries besides its position. */
export type FlowNodeData = {
  /** The node type ("template", "condition", …). */
  kind: string;
  config: JsonObject;
};

export type FlowNode = Node<FlowNodeData, "fragent">;
export type FlowEdge = Edge;

/** The handle id of a node's single output. */
export const DEFAULT_HANDLE = "default";

/** Ids the definition may use: a jq-addressable identifier that is not "input". */
const ID_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function isValidNodeId(id: string): boolean {
  return ID_RE.test(id) && id !== "input";
}

export function edgeId(e: WorkflowEdge): string {
  return `${e.source}:${e.source_handle ?? DEFAULT_HANDLE}->${e.target}`;
}

/** Turns a definition into canvas nodes and edges. Nodes without a position get a grid slot. */
export function definitionToGraph(def: WorkflowDefinition): {
  nodes: FlowNode[];
  edges: FlowEdge[];
} {
  const nodes: FlowNode[] = def.nodes.map((n, i) => ({
    id: n.id,
    type: "fragent",
    position: n.position ?? { x: (i % 4) * 260, y: Math.floor(i / 4) * 160 },
    data: { kind: n.type, config: n.config ?? {} },
  }));
  const edges: FlowEdge[] = def.edges.map((e) => ({
    id: edgeId(e),
    source: e.source,
    target: e.target,
    sourceHandle: e.source_handle ?? DEFAULT_HANDLE,
    ...(e.source_handle !== undefined && e.source_handle !== DEFAULT_HANDLE
      ? { label: e.source_handle }
      : {}),
  }));
  return { nodes, edges };
}

/** Turns canvas nodes and edges back into a definition (positions rounded). */
export function graphToDefinition(
  nodes: readonly FlowNode[],
  edges: readonly FlowEdge[],
): WorkflowDefinition {
  return {
    nodes: nodes.map((n) => ({
      id: n.id,
      type: n.data.kind,
      config: n.data.config,
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    })),
    edges: edges.map((e) => {
      const handle = e.sourceHandle ?? DEFAULT_HANDLE;
      return {
        source: e.source,
        target: e.target,
        ...(handle !== DEFAULT_HANDLE ? { source_handle: handle } : {}),
      };
    }),
  };
}

const STEMS: Record<string, string> = { input: "in", output: "out" };

/** A fresh node id for "type": "in", "out" or the type name, then "_1", "_2"… when taken. */
export function nextNodeId(type: string, taken: ReadonlySet<string>): string {
  let stem = STEMS[type] ?? type.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 56);
  if (!/^[A-Za-z_]/.test(stem)) stem = `n_${stem}`;
  if (!taken.has(stem) && isValidNodeId(stem)) return stem;
  for (let i = 1; ; i++) {
    const id = `${stem}_${i}`;
    if (!taken.has(id)) return id;
  }
}

/** The config a new node of "nt" starts with: every property's default. */
export function defaultConfig(nt: NodeType | undefined): JsonObject {
  const out: JsonObject = {};
  const props = nt?.config_schema.properties ?? {};
  for (const [key, schema] of Object.entries(props)) {
    if (schema.default !== undefined) out[key] = schema.default;
  }
  return out;
}

/**
 * Whether a new edge from "source" (handle "sourceHandle") to "target" is allowed:
 * no self loops, no duplicates, and no cycle (the definition must stay a DAG).
 */
export function canConnect(
  edges: readonly FlowEdge[],
  source: string,
  sourceHandle: string | null,
  target: string,
): boolean {
  if (source === target) return false;
  const handle = sourceHandle ?? DEFAULT_HANDLE;
  if (
    edges.some(
      (e) =>
        e.source === source && e.target === target && (e.sourceHandle ?? DEFAULT_HANDLE) === handle,
    )
  ) {
    return false;
  }
  // Adding source→target makes a cycle when source is reachable from target.
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const seen = new Set<string>();
  const stack = [target];
  while (stack.length > 0) {
    const cur = stack.pop() as string;
    if (cur === source) return false;
    if (seen.has(cur)) continue;
    seen.add(cur);
    stack.push(...(next.get(cur) ?? []));
  }
  return true;
}

/** Ids of the nodes upstream of "id" (what its templates may reference). */
export function upstreamOf(edges: readonly FlowEdge[], id: string): string[] {
  const prev = new Map<string, string[]>();
  for (const e of edges) prev.set(e.target, [...(prev.get(e.target) ?? []), e.source]);
  const seen = new Set<string>();
  const stack = [...(prev.get(id) ?? [])];
  while (stack.length > 0) {
    const cur = stack.pop() as string;
    if (seen.has(cur)) continue;
    seen.add(cur);
    stack.push(...(prev.get(cur) ?? []));
  }
  return [...seen].sort();
}

/**
 * Input fields the definition's templates read from the input node (".in.name",
 * ".input.name"), to prefill the Run dialog.
 */
export function referencedInputs(def: WorkflowDefinition): string[] {
  const inputIds = def.nodes.filter((n) => n.type === "input").map((n) => n.id);
  const roots = new Set(["input", ...inputIds]);
  const found = new Set<string>();
  const re = /\.([A-Za-z_][A-Za-z0-9_]*)(?:\.output)?\.([A-Za-z_][A-Za-z0-9_]*)/g;
  const visit = (v: unknown) => {
    if (typeof v === "string") {
      for (const m of v.matchAll(re)) {
        if (m[1] !== undefined && m[2] !== undefined && roots.has(m[1])) found.add(m[2]);
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === "object" && v !== null) Object.values(v).forEach(visit);
  };
  def.nodes.forEach((n) => visit(n.config));
  return [...found].sort();
}
