"use client";

import { useState, type FormEvent } from "react";

import { PROVIDERS, toProblem, useProviders, type Agent, type AgentInput } from "@/api";

import { CredentialPicker } from "../CredentialPicker";
import { Button } from "../ui/Button";
import { Field } from "../ui/Field";
import { Input } from "../ui/Input";
import { Select } from "../ui/Select";
import { Textarea } from "../ui/Textarea";
import { withDefaults, type AgentFormConfig } from "./agentDefaults";
import { ToolPicker } from "./ToolPicker";

export interface AgentFormProps {
  agent: Agent | null;
  editable: boolean;
  saving: boolean;
  error: unknown;
  onSave: (input: AgentInput) => void;
}

/** Name, description and configuration of an agent. */
export function AgentForm({ agent, editable, saving, error, onSave }: AgentFormProps) {
  const [name, setName] = useState(agent?.name ?? "");
  const [description, setDescription] = useState(agent?.description ?? "");
  const [cfg, setCfg] = useState<AgentFormConfig>(() => withDefaults(agent?.configuration));
  const set = <K extends keyof AgentFormConfig>(k: K, v: AgentFormConfig[K]) =>
    setCfg((c) => ({ ...c, [k]: v }));
  // The providers come from GET /providers; the agent's own stays listed while they load.
  const providers = useProviders().data ?? [];
  const current = providers.find((p) => p.name === cfg.provider);
  const providerOptions = providers.map((p) => ({ value: p.name, label: p.title }));
  if (current === undefined) providerOptions.unshift({ value: cfg.provider, label: cfg.provider });
  const problem = error === null || error === undefined ? null : toProblem(error);
  const fieldError = (f: string) =>
    problem?.errors.find((e) => e.field === f || e.field === `configuration.${f}`)?.message;
  const ro = !editable;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    // An empty base URL means the provider's default: leave the field out.
    const { base_url: baseUrl, ...rest } = cfg;
    const configuration = baseUrl.trim() === "" ? rest : { ...rest, base_url: baseUrl.trim() };
    onSave({ name: name.trim(), description, configuration });
  };

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Agent settings">
      <div className="grid gap-4 md:grid-cols-2">
        <Field id="agent-name" label="Name" error={fieldError("name")}>
          <Input
            id="agent-name"
            required
            value={name}
            readOnly={ro}
            onChange={(e) => setName(e.target.value)}
          />
        </Field>
        <Field id="agent-provider" label="Provider" error={fieldError("provider")}>
          <Select
            id="agent-provider"
            value={cfg.provider}
            disabled={ro}
            onChange={(v) => {
              const p = PROVIDERS.find((x) => x === v);
              if (p !== undefined) set("provider", p);
            }}
            options={providerOptions}
          />
        </Field>
      </div>
      <Field
        id="agent-description"
        label="Description (optional)"
        error={fieldError("description")}
      >
        <Input
          id="agent-description"
          value={description}
          readOnly={ro}
          onChange={(e) => setDescription(e.target.value)}
        />
      </Field>
      <div className="grid gap-4 md:grid-cols-2">
        <Field id="agent-model" label="Model" error={fieldError("model")}>
          <Input
            id="agent-model"
            required
            value={cfg.model}
            readOnly={ro}
            onChange={(e) => set("model", e.target.value)}
          />
        </Field>
        <Field
          id="agent-credential"
          label="Credential"
          hint="The provider's API key, from Credentials."
          error={fieldError("credential_id")}
        >
          <CredentialPicker
            id="agent-credential"
            value={cfg.credential_id ?? ""}
            disabled={ro}
            onChange={(v) => set("credential_id", v === "" ? null : v)}
          />
        </Field>
      </div>
      <Field
        id="agent-base-url"
        label="Base URL (optional)"
        hint={
          current === undefined
            ? undefined
            : `${current.description} Empty: ${current.default_base_url}.`
        }
        error={fieldError("base_url")}
      >
        <Input
          id="agent-base-url"
          type="url"
          placeholder={current?.default_base_url}
          value={cfg.base_url}
          readOnly={ro}
          onChange={(e) => set("base_url", e.target.value)}
        />
      </Field>
      <Field id="agent-system" label="System prompt" error={fieldError("system_prompt")}>
        <Textarea
          id="agent-system"
          rows={5}
          value={cfg.system_prompt}
          readOnly={ro}
          onChange={(e) => set("system_prompt", e.target.value)}
        />
      </Field>
      <div className="grid gap-4 md:grid-cols-3">
        <Field
          id="agent-temperature"
          label="Temperature"
          hint="0 to 2"
          error={fieldError("temperature")}
        >
          <Input
            id="agent-temperature"
            type="number"
            min={0}
            max={2}
            step={0.1}
            value={cfg.temperature}
            readOnly={ro}
            onChange={(e) => set("temperature", Number(e.target.value))}
          />
        </Field>
        <Field id="agent-max-tokens" label="Max tokens" error={fieldError("max_tokens")}>
          <Input
            id="agent-max-tokens"
            type="number"
            min={1}
            value={cfg.max_tokens}
            readOnly={ro}
            onChange={(e) => set("max_tokens", Number(e.target.value))}
          />
        </Field>
        <Field
          id="agent-iterations"
          label="Max iterations"
          hint="1 to 50 model calls per answer"
          error={fieldError("max_iterations")}
        >
          <Input
            id="agent-iterations"
            type="number"
            min={1}
            max={50}
            value={cfg.max_iterations}
            readOnly={ro}
            onChange={(e) => set("max_iterations", Number(e.target.value))}
          />
        </Field>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <Field
          id="agent-memory"
          label="Memory"
          hint="Buffer memory keeps the last messages of a chat session."
        >
          <Select
            id="agent-memory"
            value={cfg.memory.type}
            disabled={ro}
            onChange={(v) =>
              set("memory", { ...cfg.memory, type: v === "buffer" ? "buffer" : "none" })
            }
            options={[
              { value: "none", label: "None" },
              { value: "buffer", label: "Buffer (recent messages)" },
            ]}
          />
        </Field>
        {cfg.memory.type === "buffer" ? (
          <Field id="agent-window" label="Memory window (messages)">
            <Input
              id="agent-window"
              type="number"
              min={1}
              value={cfg.memory.window}
              readOnly={ro}
              onChange={(e) => set("memory", { ...cfg.memory, window: Number(e.target.value) })}
            />
          </Field>
        ) : null}
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        {(
          [
            ["max_tokens", "Budget: tokens per run", "Prompt and completion; empty: no limit"],
            ["max_cost_usd", "Budget: estimated cost (USD)", "Priced in Settings; empty: no limit"],
          ] as const
        ).map(([k, label, hint]) => (
          <Field
            key={k}
            id={`agent-budget-${k}`}
            label={label}
            hint={hint}
            error={fieldError(`budget.${k}`)}
          >
            <Input
              id={`agent-budget-${k}`}
              type="number"
              min={0}
              step="any"
              placeholder="No limit"
              value={cfg.budget?.[k] ?? ""}
              readOnly={ro}
              onChange={(e) => {
                const next = { ...cfg.budget };
                if (e.target.value === "") delete next[k];
                else next[k] = Number(e.target.value);
                set("budget", Object.keys(next).length > 0 ? next : undefined);
              }}
            />
          </Field>
        ))}
      </div>
      <ToolPicker value={cfg.tools} onChange={(t) => set("tools", t)} disabled={ro} />
      {problem !== null && problem.errors.length === 0 ? (
        <p role="alert" className="text-sm font-medium text-red-600 dark:text-red-400">
          {problem.detail || problem.title}
        </p>
      ) : null}
      {editable ? (
        <Button type="submit" loading={saving}>
          {agent === null ? "Create agent" : "Save agent"}
        </Button>
      ) : null}
    </form>
  );
}
