/** What "New workflow" starts from: an input node wired to an output node. */

import type { WorkflowDefinition } from "@/api";

export const NEW_WORKFLOW_DEFINITION: WorkflowDefinition = {
  nodes: [
    { id: "in", type: "input", config: {}, position: { x: 0, y: 80 } },
    { id: "out", type: "output", config: { value: "{{ .in }}" }, position: { x: 520, y: 80 } },
  ],
  edges: [{ source: "in", target: "out" }],
};
