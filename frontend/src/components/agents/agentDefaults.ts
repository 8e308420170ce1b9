import type { AgentConfiguration } from "@/api";

/** The configuration a new agent starts with. */
export const DEFAULT_AGENT_CONFIG: AgentConfiguration = {
  provider: "openai",
  base_url: "",
  model: "gpt-4o-mini",
  credential_id: null,
  system_prompt: "You are a helpful assistant.",
  temperature: 0.7,
  max_tokens: 1024,
  tools: [],
  memory: { type: "none", window: 10 },
  max_iterations: 5,
};

/** Fills what an older or partial configuration lacks with the defaults. */
export function withDefaults(c: Partial<AgentConfiguration> | undefined): AgentConfiguration {
  return {
    ...DEFAULT_AGENT_CONFIG,
    ...c,
    base_url: typeof c?.base_url === "string" ? c.base_url : "",
    memory: { ...DEFAULT_AGENT_CONFIG.memory, ...(c?.memory ?? {}) },
    tools: Array.isArray(c?.tools) ? c.tools : [],
  };
}
