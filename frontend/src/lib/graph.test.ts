import { describe, expect, test } from "vitest";

import type { WorkflowDefinition } from "@/api/types";

import {
  canConnect,
  definitionToGraph,
  graphToDefinition,
  isValidNodeId,
  nextNodeId,
  referencedInputs,
  upstreamOf,
} from "./graph";

const def: WorkflowDefinition = {
  nodes: [
    { id: "in", type: "input", config: {}, position: { x: 0, y: 0 } },
    {
      id: "long",
      type: "condition",
      config: { expr: ".in.text | length > 3" },
      position: { x: 200, y: 0 },
    },
    {
      id: "yes",
      type: "template",
      config: { template: "{{ .in.text }} / {{ .input.lang }}" },
      position: { x: 400, y: -80 },
    },
    {
      id: "out",
      type: "output",
      config: { value: "{{ .yes.output }}" },
      position: { x: 600, y: 0 },
    },
  ],
  edges: [
    { source: "in", target: "long" },
    { source: "long", source_handle: "true", target: "yes" },
    { source: "yes", target: "out" },
  ],
};

describe("definition ↔ graph", () => {
  test("round trip keeps nodes, configs, positions and handles", () => {
    const { nodes, edges } = definitionToGraph(def);
    expect(nodes).toHaveLength(4);
    expect(nodes[1]?.data).toEqual({
      kind: "condition",
      config: { expr: ".in.text | length > 3" },
    });
    expect(edges[1]?.sourceHandle).toBe("true");
    expect(edges[0]?.sourceHandle).toBe("default");
    expect(graphToDefinition(nodes, edges)).toEqual(def);
  });

  test("edge ids are unique per source handle", () => {
    const { edges } = definitionToGraph({
      nodes: def.nodes,
      edges: [
        { source: "long", source_handle: "true", target: "out" },
        { source: "long", source_handle: "false", target: "out" },
      ],
    });
    expect(new Set(edges.map((e) => e.id)).size).toBe(2);
  });

  test("nodes without a position get distinct slots; positions are rounded", () => {
    const { nodes, edges } = definitionToGraph({
      nodes: [
        { id: "a", type: "input", config: {} },
        { id: "b", type: "output", config: {} },
      ],
      edges: [],
    });
    expect(nodes[0]?.position).not.toEqual(nodes[1]?.position);
    const moved = nodes.map((n) => ({ ...n, position: { x: n.position.x + 0.6, y: 1.4 } }));
    expect(graphToDefinition(moved, edges).nodes[0]?.position).toEqual({ x: 1, y: 1 });
  });
});

describe("node ids", () => {
  test.each([
    ["in", true],
    ["_x9", true],
    ["input", false],
    ["9a", false],
    ["a-b", false],
    ["", false],
    ["a".repeat(64), true],
    ["a".repeat(65), false],
  ])("isValidNodeId(%j) = %s", (id, ok) => {
    expect(isValidNodeId(id)).toBe(ok);
  });

  test("nextNodeId picks short names first, then numbers", () => {
    expect(nextNodeId("input", new Set())).toBe("in");
    expect(nextNodeId("output", new Set(["out"]))).toBe("out_1");
    expect(nextNodeId("template", new Set(["template", "template_1"]))).toBe("template_2");
    expect(nextNodeId("http_request", new Set())).toBe("http_request");
  });
});

describe("connections", () => {
  const { edges } = definitionToGraph(def);
  test("refuses self loops, duplicates and cycles", () => {
    expect(canConnect(edges, "in", "default", "in")).toBe(false);
    expect(canConnect(edges, "in", "default", "long")).toBe(false);
    expect(canConnect(edges, "out", "default", "in")).toBe(false);
    expect(canConnect(edges, "yes", "default", "long")).toBe(false);
  });
  test("allows a new branch and the other handle", () => {
    expect(canConnect(edges, "long", "false", "yes")).toBe(true);
    expect(canConnect(edges, "in", "default", "out")).toBe(true);
  });
  test("upstreamOf lists every ancestor", () => {
    expect(upstreamOf(edges, "out")).toEqual(["in", "long", "yes"]);
    expect(upstreamOf(edges, "in")).toEqual([]);
  });
});

test("referencedInputs finds the fields templates read from the input", () => {
  expect(referencedInputs(def)).toEqual(["lang", "text"]);
});
