"use client";

import { useState } from "react";

import type { JsonSchema, JsonValue } from "@/api";

import { AgentPicker } from "../AgentPicker";
import { CredentialPicker } from "../CredentialPicker";
import { WorkflowPicker } from "../WorkflowPicker";

import { Field } from "../ui/Field";
import { Input } from "../ui/Input";
import { Select } from "../ui/Select";
import { Switch } from "../ui/Switch";
import { Textarea } from "../ui/Textarea";
import { JsonInput } from "./JsonInput";
import { TemplateHint } from "./TemplateHint";

export interface SchemaFieldProps {
  id: string;
  name: string;
  schema: JsonSchema;
  value: JsonValue | undefined;
  onChange: (value: JsonValue | undefined) => void;
  required: boolean;
  disabled: boolean;
  upstream: readonly string[];
  error?: string;
}

const TEXT_KEYS = new Set(["template", "prompt", "value", "expr", "body", "system_prompt"]);

function kindOf(name: string, s: JsonSchema): string {
  const hint = s["x-fragent"];
  if (hint !== undefined) return hint;
  if (name === "agent_id") return "agent";
  if (name === "credential_id") return "credential";
  if (name === "workflow_id") return "workflow";
  const t = Array.isArray(s.type) ? s.type[0] : s.type;
  if (s.enum !== undefined) return "enum";
  if (t === "boolean") return "boolean";
  if (t === "number" || t === "integer") return "number";
  if (t === "object" || t === "array") return "json";
  if (name === "expr" || /\bjq\b/i.test(s.title ?? "")) return "jq";
  if (TEXT_KEYS.has(name) || /template/i.test(s.title ?? "")) return "template";
  return "string";
}

/** One config property rendered from its JSON Schema. */
export function SchemaField({
  id,
  name,
  schema,
  value,
  onChange,
  required,
  disabled,
  upstream,
  error,
}: SchemaFieldProps) {
  const [jsonError, setJsonError] = useState("");
  const kind = kindOf(name, schema);
  const label = `${schema.title ?? name}${required ? "" : " (optional)"}`;
  const str =
    typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
  const hint =
    kind === "template" || kind === "jq" ? (
      <>
        {schema.description !== undefined ? (
          <span className="mb-1 block">{schema.description}</span>
        ) : null}
        <TemplateHint kind={kind} upstream={upstream} />
      </>
    ) : (
      schema.description
    );

  let control;
  switch (kind) {
    case "agent":
      control = (
        <AgentPicker
          id={id}
          value={str}
          onChange={(v) => onChange(v === "" ? undefined : v)}
          disabled={disabled}
        />
      );
      break;
    case "workflow":
      control = (
        <WorkflowPicker
          id={id}
          value={str}
          onChange={(v) => onChange(v === "" ? undefined : v)}
          disabled={disabled}
        />
      );
      break;
    case "credential":
      control = (
        <CredentialPicker
          id={id}
          value={str}
          onChange={(v) => onChange(v === "" ? undefined : v)}
          disabled={disabled}
        />
      );
      break;
    case "enum":
      control = (
        <Select
          id={id}
          value={str}
          disabled={disabled}
          onChange={(v) => onChange(v === "" ? undefined : v)}
          options={[
            ...(required ? [] : [{ value: "", label: "—" }]),
            ...(schema.enum ?? []).map((o) => ({ value: String(o), label: String(o) })),
          ]}
        />
      );
      break;
    case "boolean":
      control = (
        <Switch
          id={id}
          checked={value === true}
          onCheckedChange={(v) => onChange(v)}
          disabled={disabled}
        />
      );
      break;
    case "number":
      control = (
        <Input
          id={id}
          type="number"
          value={typeof value === "number" ? value : ""}
          min={schema.minimum}
          max={schema.maximum}
          step={schema.type === "integer" ? 1 : "any"}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
        />
      );
      break;
    case "json":
      control = (
        <JsonInput
          id={id}
          value={value}
          onChange={onChange}
          disabled={disabled}
          onError={setJsonError}
        />
      );
      break;
    case "template":
    case "jq":
    case "multiline":
      control = (
        <Textarea
          id={id}
          mono
          rows={kind === "jq" ? 2 : 4}
          value={str}
          disabled={disabled}
          spellCheck={false}
          aria-describedby={`${id}-hint`}
          onChange={(e) => onChange(e.target.value)}
        />
      );
      break;
    default:
      control = (
        <Input id={id} value={str} disabled={disabled} onChange={(e) => onChange(e.target.value)} />
      );
  }
  return (
    <Field id={id} label={label} hint={hint} error={error || jsonError}>
      {control}
    </Field>
  );
}
