import { expect, test } from "vitest";

import type { WorkflowDefinition } from "@/api/types";

import { mapProblemToNodes } from "./validation";

const def: WorkflowDefinition = {
  nodes: [
    { id: "in", type: "input", config: {} },
    { id: "greet", type: "template", config: {} },
    { id: "out", type: "output", config: { value: "{{ .greet.output }}" } },
  ],
  edges: [
    { source: "in", target: "greet" },
    { source: "greet", target: "nowhere" },
  ],
};

test.each([
  {
    name: "config field goes to the node at that index",
    errors: [{ field: "nodes[1].config.template", message: "is required" }],
    byNode: { greet: ["template: is required"] },
    general: [],
  },
  {
    name: "a whole-node error",
    errors: [{ field: "nodes[2]", message: 'node "out" is part of a cycle' }],
    byNode: { out: ['node "out" is part of a cycle'] },
    general: [],
  },
  {
    name: "dangling edge target lands on its source",
    errors: [{ field: "edges[1].target", message: 'unknown node "nowhere"' }],
    byNode: { greet: ['connection greet → nowhere: unknown node "nowhere"'] },
    general: [],
  },
  {
    name: "a bad source handle lands on the source",
    errors: [{ field: "edges[0].source_handle", message: "no such handle" }],
    byNode: { in: ["connection in → greet: no such handle"] },
    general: [],
  },
  {
    name: "a message quoting a node id",
    errors: [{ field: "definition", message: 'node "in" has no path to an output' }],
    byNode: { in: ['node "in" has no path to an output'] },
    general: [],
  },
  {
    name: "graph-wide errors stay general",
    errors: [{ field: "nodes", message: "needs at least 1 output node(s), has 0" }],
    byNode: {},
    general: ["nodes: needs at least 1 output node(s), has 0"],
  },
  {
    name: "out-of-range index is general; duplicates are merged",
    errors: [
      { field: "nodes[9].config.x", message: "bad" },
      { field: "nodes[0]", message: "dup" },
      { field: "nodes[0]", message: "dup" },
    ],
    byNode: { in: ["dup"] },
    general: ["nodes[9].config.x: bad"],
  },
])("$name", ({ errors, byNode, general }) => {
  expect(mapProblemToNodes(def, errors)).toEqual({ byNode, general });
});
