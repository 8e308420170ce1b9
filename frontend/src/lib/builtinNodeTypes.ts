/**
 * The node catalogue the editor falls back to while the server has no
 * GET /node-types. Mirrors the node types of the design; the server's answer wins
 * whenever it exists.
 */

import type { NodeType } from "@/api/types";

const DEFAULT = ["default"];

export const BUILTIN_NODE_TYPES: NodeType[] = [
  {
    type: "input",
    title: "Input",
    description: "Starts the workflow; its output is the execution's inputs.",
    category: "Flow",
    config_schema: { type: "object", properties: {} },
    handles: { inputs: [], outputs: DEFAULT },
  },
  {
    type: "output",
    title: "Output",
    description: "Renders `value` into the execution's results under the node id.",
    category: "Flow",
    config_schema: {
      type: "object",
      required: ["value"],
      properties: {
        value: { type: "string", title: "Value", "x-fragent": "template" },
      },
    },
    handles: { inputs: DEFAULT, outputs: [] },
  },
  {
    type: "template",
    title: "Template",
    description: "Renders text with {{ jq }} expressions over the context.",
    category: "Data",
    config_schema: {
      type: "object",
      required: ["template"],
      properties: {
        template: { type: "string", title: "Template", "x-fragent": "template" },
      },
    },
    handles: { inputs: DEFAULT, outputs: DEFAULT },
  },
  {
    type: "agent",
    title: "Agent",
    description: "Asks an agent; its answer is the node's output.",
    category: "AI",
    config_schema: {
      type: "object",
      required: ["agent_id", "prompt"],
      properties: {
        agent_id: { type: "string", title: "Agent", "x-fragent": "agent" },
        prompt: { type: "string", title: "Prompt", "x-fragent": "template" },
      },
    },
    handles: { inputs: DEFAULT, outputs: DEFAULT },
  },
  {
    type: "condition",
    title: "Condition",
    description: "Takes the true or the false branch by a jq expression.",
    category: "Flow",
    config_schema: {
      type: "object",
      required: ["expr"],
      properties: { expr: { type: "string", title: "Expression", "x-fragent": "jq" } },
    },
    handles: { inputs: DEFAULT, outputs: ["true", "false"] },
  },
  {
    type: "transform",
    title: "Transform",
    description: "Reshapes data with a jq expression.",
    category: "Data",
    config_schema: {
      type: "object",
      required: ["expr"],
      properties: { expr: { type: "string", title: "Expression", "x-fragent": "jq" } },
    },
    handles: { inputs: DEFAULT, outputs: DEFAULT },
  },
  {
    type: "merge",
    title: "Merge",
    description: "Waits for every incoming branch and combines their outputs.",
    category: "Flow",
    config_schema: { type: "object", properties: {} },
    handles: { inputs: DEFAULT, outputs: DEFAULT },
  },
  {
    type: "delay",
    title: "Delay",
    description: "Waits a number of milliseconds.",
    category: "Flow",
    config_schema: {
      type: "object",
      properties: { ms: { type: "integer", title: "Milliseconds", minimum: 0, default: 1000 } },
    },
    handles: { inputs: DEFAULT, outputs: DEFAULT },
  },
  {
    type: "http_request",
    title: "HTTP request",
    description: "Calls a URL; the response is the node's output.",
    category: "Integrations",
    config_schema: {
      type: "object",
      required: ["url"],
      properties: {
        method: {
          type: "string",
          title: "Method",
          enum: ["GET", "POST", "PUT", "PATCH", "DELETE"],
          default: "GET",
        },
        url: { type: "string", title: "URL", "x-fragent": "template" },
        headers: { type: "object", title: "Headers" },
        body: { type: "string", title: "Body", "x-fragent": "template" },
      },
    },
    handles: { inputs: DEFAULT, outputs: DEFAULT },
  },
];
