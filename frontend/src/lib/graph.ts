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
/** The handle every node has, taken instead of the others when it fails for good. */
export const ERROR_HANDLE = "error";

/** A switch's case: a handle name and a jq condition. */
export interface SwitchCase {
  name: string;
  expr: string;
}

/** Whether "name" may name a case's handle (the API's pattern). */
export function isValidCaseName(name: string): boolean {
  return ID_RE.test(name);
}

/** A name for a new case: "case_1", "case_2"… the first not taken nor reserved. */
export function nextCaseName(cases: readonly SwitchCase[], reserved: readonly string[]): string {
  for (let i = cases.length + 1; ; i++) {
    const name = `case_${i}`;
    if (!reserved.includes(name) && !cases.some((c) => c.name === name)) return name;
  }
}

/** The cases of a node whose type names a cases member (a switch), in order. */
export function nodeCases(nt: NodeType | undefined, config: JsonObject): SwitchCase[] {
  const member = nt?.handles.cases;
  const list = member !== undefined ? config[member] : undefined;
  if (!Array.isArray(list)) return [];
  return list.map((c) => {
    const o = c !== null && typeof c === "object" && !Array.isArray(c) ? c : {};
    return {
      name: typeof o.name === "string" ? o.name : "",
      expr: typeof o.expr === "string" ? o.expr : "",
    };
  });
}

/**
 * The output handles of a node besides "error": its cases (named, in order, when its type
 * has them) and then its type's named outputs (a switch's "default").
 */
export function nodeOutputs(nt: NodeType | undefined, config: JsonObject): string[] {
  const named = nt?.handles.outputs ?? [DEFAULT_HANDLE];
  const cases = nodeCases(nt, config)
    .map((c) => c.name)
    .filter((n, i, all) => n !== "" && all.indexOf(n) === i && !named.includes(n));
  return [...cases, ...named];
}

/** The colour of the error handle and of the edges leaving it. */
export const ERROR_COLOUR = "#dc2626";

/** How an edge leaving "handle" is drawn: labelled unless default, red and dashed from error. */
export function edgeLook(handle: string): Partial<FlowEdge> {
  if (handle === ERROR_HANDLE) {
    return {
      label: handle,
      style: { stroke: ERROR_COLOUR, strokeDasharray: "5 3" },
      labelStyle: { fill: ERROR_COLOUR, fontWeight: 600 },
    };
  }
  return handle !== DEFAULT_HANDLE ? { label: handle } : {};
}

/** Ids the definition may use: a jq-addressable identifier that is not "input". */
const ID_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function isValidNodeId(id: string): boolean {
  return ID_RE.test(id) && id !== "input";
}

export function edgeId(e: WorkflowEdge): string {
  return `${e.source}:${e.source_handle ?? DEFAULT_HANDLE}->${e.target}`;
}

/**
 * The edges after node "nodeId"'s output handles were renamed or removed ("handles": old
 * name → new name, or null when removed): edges leaving a removed handle go, those leaving
 * a renamed one follow it (a duplicate that makes is dropped).
 */
export function rehandle(
  edges: readonly FlowEdge[],
  nodeId: string,
  handles: Record<string, string | null>,
): FlowEdge[] {
  const out: FlowEdge[] = [];
  const ids = new Set<string>();
  for (const e of edges) {
    const h = e.sourceHandle ?? DEFAULT_HANDLE;
    let next = e;
    if (e.source === nodeId && Object.hasOwn(handles, h)) {
      const to = handles[h];
      if (to === null || to === undefined) continue;
      const rest: FlowEdge = { ...e };
      delete rest.label;
      delete rest.style;
      delete rest.labelStyle;
      next = {
        ...rest,
        id: edgeId({ source: e.source, target: e.target, source_handle: to }),
        sourceHandle: to,
        ...edgeLook(to),
      };
    }
    if (ids.has(next.id)) continue;
    ids.add(next.id);
    out.push(next);
  }
  return out;
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
    ...edgeLook(e.source_handle ?? DEFAULT_HANDLE),
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
