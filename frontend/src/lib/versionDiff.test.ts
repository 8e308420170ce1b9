import { describe, expect, it } from "vitest";

import type { WorkflowDefinition, WorkflowNode } from "@/api";

import { diffDefinitions, edgeKey } from "./versionDiff";

const input: WorkflowNode = { id: "in", type: "input", config: {}, position: { x: 0, y: 0 } };
const greet: WorkflowNode = {
  id: "t",
  type: "template",
  config: { template: "Hi {{ .in.name }}", timeout_ms: 5 },
};
const output: WorkflowNode = { id: "out", type: "output", config: { value: "{{ .t.output }}" } };
const base: WorkflowDefinition = {
  nodes: [input, greet, output],
  edges: [
    { source: "in", target: "t" },
    { source: "t", target: "out" },
  ],
};

describe("diffDefinitions", () => {
  it("finds nothing between a definition and itself, moves and member order aside", () => {
    const moved: WorkflowDefinition = {
      nodes: base.nodes.map((n) => ({
        ...n,
        position: { x: 99, y: 99 },
        config: Object.fromEntries(Object.entries(n.config).reverse()),
      })),
      edges: [...base.edges].reverse(),
    };
    const d = diffDefinitions(base, moved);
    expect(d.counts).toEqual({ added: 0, removed: 0, changed: 0, edgesAdded: 0, edgesRemoved: 0 });
    expect(d.nodes.every((n) => n.change === "same")).toBe(true);
  });

  it("names added, removed and changed nodes and edges", () => {
    const after: WorkflowDefinition = {
      nodes: [
        input,
        { ...greet, config: { template: "Hello {{ .in.name }}", timeout_ms: 5 } },
        { id: "c", type: "condition", config: { expr: ".in.vip" } },
      ],
      edges: [
        { source: "in", target: "t" },
        { source: "t", target: "c" },
        { source: "c", target: "t", source_handle: "true" },
      ],
    };
    const d = diffDefinitions(base, after);
    expect(d.nodes.map((n) => [n.id, n.change])).toEqual([
      ["in", "same"],
      ["t", "changed"],
      ["c", "added"],
      ["out", "removed"],
    ]);
    expect(d.counts).toEqual({ added: 1, removed: 1, changed: 1, edgesAdded: 2, edgesRemoved: 1 });
    expect(d.edges.find((e) => e.change === "removed")?.key).toBe("t:default→out");
    expect(edgeKey({ source: "c", target: "t", source_handle: "true" })).toBe("c:true→t");
  });

  it("counts a type change as a change", () => {
    const after = {
      ...base,
      nodes: [input, { ...greet, type: "transform" }, output],
    };
    expect(diffDefinitions(base, after).counts.changed).toBe(1);
  });
});
