import { describe, expect, test } from "vitest";

import type { NodeType, WorkflowDefinition } from "@/api/types";

import {
  canConnect,
  definitionToGraph,
  edgeLook,
  ERROR_HANDLE,
  isValidCaseName,
  nextCaseName,
  nodeCases,
  nodeOutputs,
  rehandle,
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

const switchType: NodeType = {
  type: "switch",
  title: "Switch",
  description: "",
  category: "flow",
  config_schema: { type: "object" },
  handles: { inputs: ["default"], outputs: ["default"], error: "error", cases: "cases" },
};

describe("switch cases and the error handle", () => {
  const config = {
    cases: [
      { name: "big", expr: ".n > 10" },
      { name: "small", expr: ".n < 3" },
      { name: "", expr: "x" },
      { name: "big", expr: "dup" },
      7,
    ],
  };

  test("a switch's outputs are its named cases in order, then default", () => {
    expect(nodeOutputs(switchType, config)).toEqual(["big", "small", "default"]);
    expect(nodeOutputs(switchType, {})).toEqual(["default"]);
    expect(nodeOutputs(undefined, config)).toEqual(["default"]);
    const template = {
      ...switchType,
      type: "template",
      handles: { inputs: [], outputs: ["default"] },
    };
    expect(nodeOutputs(template, config)).toEqual(["default"]);
  });

  test("cases are read leniently", () => {
    expect(nodeCases(switchType, config)).toHaveLength(5);
    expect(nodeCases(switchType, config)[4]).toEqual({ name: "", expr: "" });
    expect(nodeCases(switchType, { cases: "no" })).toEqual([]);
  });

  test("case names", () => {
    expect(isValidCaseName("big_1")).toBe(true);
    expect(isValidCaseName("1big")).toBe(false);
    expect(isValidCaseName("")).toBe(false);
    expect(nextCaseName([{ name: "case_2", expr: "" }], [])).toBe("case_3");
    expect(
      nextCaseName(
        [
          { name: "a", expr: "" },
          { name: "case_2", expr: "" },
        ],
        [],
      ),
    ).toBe("case_3");
    expect(nextCaseName([], ["case_1"])).toBe("case_2");
  });

  test("error edges are red, dashed and labelled; default ones plain", () => {
    expect(edgeLook(ERROR_HANDLE).label).toBe("error");
    expect(edgeLook(ERROR_HANDLE).style?.strokeDasharray).toBeDefined();
    expect(edgeLook("big")).toEqual({ label: "big" });
    expect(edgeLook("default")).toEqual({});
    const { edges } = definitionToGraph({
      nodes: def.nodes,
      edges: [{ source: "yes", source_handle: "error", target: "out" }],
    });
    expect(edges[0]?.style?.stroke).toBeDefined();
    expect(graphToDefinition([], edges).edges).toEqual([
      { source: "yes", source_handle: "error", target: "out" },
    ]);
  });

  test("renaming or removing a case moves or drops the edges leaving it", () => {
    const { edges } = definitionToGraph({
      nodes: def.nodes,
      edges: [
        { source: "s", source_handle: "big", target: "a" },
        { source: "s", source_handle: "small", target: "b" },
        { source: "s", source_handle: "small", target: "a" },
        { source: "s", target: "c" },
        { source: "t", source_handle: "big", target: "a" },
      ],
    });
    const renamed = rehandle(edges, "s", { big: "huge" });
    expect(renamed.map((e) => e.id)).toEqual([
      "s:huge->a",
      "s:small->b",
      "s:small->a",
      "s:default->c",
      "t:big->a",
    ]);
    expect(renamed[0]?.label).toBe("huge");
    const removed = rehandle(edges, "s", { small: null });
    expect(removed.map((e) => e.id)).toEqual(["s:big->a", "s:default->c", "t:big->a"]);
    // Renaming onto a handle that already reaches the same target keeps one edge.
    expect(rehandle(edges, "s", { small: "big" }).map((e) => e.id)).toEqual([
      "s:big->a",
      "s:big->b",
      "s:default->c",
      "t:big->a",
    ]);
  });
});
