/** The sample workflow the "Create sample workflow" button adds: input → template → output. */

import type { WorkflowCreate } from "@/api";

export const SAMPLE_INPUT_FIELD = "name";

export const sampleWorkflow: WorkflowCreate = {
  name: "Greeting sample",
  description: "Reads a name, renders “Hello, <name>!” with a template node and returns it.",
  definition: {
    nodes: [
      { id: "in", type: "input", config: {}, position: { x: 0, y: 0 } },
      {
        id: "greet",
        type: "template",
        config: { template: "Hello, {{ .in.name }}!" },
        position: { x: 250, y: 0 },
      },
      {
        id: "out",
        type: "output",
        config: { value: "{{ .greet.output }}" },
        position: { x: 500, y: 0 },
      },
    ],
    edges: [
      { source: "in", target: "greet" },
      { source: "greet", target: "out" },
    ],
  },
};
