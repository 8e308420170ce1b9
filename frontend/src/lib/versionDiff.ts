/** What changed between two definitions of a workflow, for the versions panel: nodes added,
 * removed and changed (type or configuration; a move on the canvas is no change), edges added
 * and removed. */

import type { JsonValue, WorkflowDefinition, WorkflowEdge, WorkflowNode } from "@/api";

export type NodeChange = "added" | "removed" | "changed" | "same";

export interface NodeDiff {
  id: string;
  change: NodeChange;
  before?: WorkflowNode;
  after?: WorkflowNode;
}

export interface EdgeDiff {
  key: string;
  change: "added" | "removed" | "same";
  edge: WorkflowEdge;
}

export interface DefinitionDiff {
  nodes: NodeDiff[];
  edges: EdgeDiff[];
  /** Counts of what differs, by kind. */
  counts: {
    added: number;
    removed: number;
    changed: number;
    edgesAdded: number;
    edgesRemoved: number;
  };
}

/** A JSON value with object members in sorted order, for comparing configurations. */
export function canonical(v: JsonValue | undefined): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  return `{${Object.keys(v)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
    .join(",")}}`;
}

/** An edge's identity: its source, handle and target. */
export function edgeKey(e: WorkflowEdge): string {
  return `${e.source}:${e.source_handle ?? "default"}→${e.target}`;
}

/** The differences from "before" to "after", nodes in the order of "after" then the
 * removed ones, edges likewise. */
export function diffDefinitions(
  before: WorkflowDefinition,
  after: WorkflowDefinition,
): DefinitionDiff {
  const old = new Map(before.nodes.map((n) => [n.id, n]));
  const now = new Map(after.nodes.map((n) => [n.id, n]));
  const nodes: NodeDiff[] = [];
  for (const n of after.nodes) {
    const o = old.get(n.id);
    if (o === undefined) nodes.push({ id: n.id, change: "added", after: n });
    else if (o.type !== n.type || canonical(o.config) !== canonical(n.config))
      nodes.push({ id: n.id, change: "changed", before: o, after: n });
    else nodes.push({ id: n.id, change: "same", before: o, after: n });
  }
  for (const o of before.nodes)
    if (!now.has(o.id)) nodes.push({ id: o.id, change: "removed", before: o });
  const oldEdges = new Set(before.edges.map(edgeKey));
  const newEdges = new Set(after.edges.map(edgeKey));
  const edges: EdgeDiff[] = [
    ...after.edges.map((e) => ({
      key: edgeKey(e),
      change: oldEdges.has(edgeKey(e)) ? ("same" as const) : ("added" as const),
      edge: e,
    })),
    ...before.edges
      .filter((e) => !newEdges.has(edgeKey(e)))
      .map((e) => ({ key: edgeKey(e), change: "removed" as const, edge: e })),
  ];
  const count = (c: NodeChange) => nodes.filter((n) => n.change === c).length;
  return {
    nodes,
    edges,
    counts: {
      added: count("added"),
      removed: count("removed"),
      changed: count("changed"),
      edgesAdded: edges.filter((e) => e.change === "added").length,
      edgesRemoved: edges.filter((e) => e.change === "removed").length,
    },
  };
}
