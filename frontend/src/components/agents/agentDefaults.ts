import type { AgentConfiguration } from "@/api";

type Filled = "base_url" | "credential_id" | "system_prompt" | "temperature" | "max_tokens";

/** A configuration as the form edits it: every field the document leaves optional is set. */
export type AgentFormConfig = AgentConfiguration &
  Required<Pick<AgentConfiguration, Filled | "tools" | "max_iterations">> & {
    memory: Required<NonNullable<AgentConfiguration["memory"]>>;
  };

/** The configuration a new agent starts with. */
export const DEFAULT_AGENT_CONFIG: AgentFormConfig = {
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
export function withDefaults(c: Partial<AgentConfiguration> | undefined): AgentFormConfig {
  const d = DEFAULT_AGENT_CONFIG;
  return {
    ...c,
    provider: c?.provider ?? d.provider,
    model: c?.model ?? d.model,
    base_url: typeof c?.base_url === "string" ? c.base_url : "",
    credential_id: c?.credential_id ?? null,
    system_prompt: c?.system_prompt ?? d.system_prompt,
    temperature: c?.temperature ?? d.temperature,
    max_tokens: c?.max_tokens ?? d.max_tokens,
    max_iterations: c?.max_iterations ?? d.max_iterations,
    memory: { type: c?.memory?.type ?? "none", window: c?.memory?.window ?? d.memory.window },
    tools: Array.isArray(c?.tools) ? c.tools : [],
  };
}
