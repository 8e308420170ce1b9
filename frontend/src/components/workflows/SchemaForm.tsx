"use client";

import type { JsonObject, JsonSchema, JsonValue } from "@/api";

import { SchemaField } from "./SchemaField";

/** Settings every node type has; shown folded away under "Retries and timeouts". */
const COMMON = new Set(["timeout_ms", "retries", "retry_backoff_ms", "continue_on_error"]);

export interface SchemaFormProps {
  /** Prefix of the control ids (unique per form). */
  idPrefix: string;
  schema: JsonSchema;
  value: JsonObject;
  onChange: (value: JsonObject) => void;
  disabled: boolean;
  upstream: readonly string[];
  /** Messages per property name. */
  errors?: Record<string, string>;
}

/** The fields of an object JSON Schema (a node's config_schema). */
export function SchemaForm({
  idPrefix,
  schema,
  value,
  onChange,
  disabled,
  upstream,
  errors = {},
}: SchemaFormProps) {
  const props = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  if (props.length === 0) {
    return (
      <p className="text-sm text-zinc-500 dark:text-zinc-400">
        This node has nothing to configure.
      </p>
    );
  }
  const set = (key: string, v: JsonValue | undefined) => {
    const next: JsonObject = { ...value };
    if (v === undefined) delete next[key];
    else next[key] = v;
    onChange(next);
  };
  const field = ([key, s]: [string, JsonSchema]) => (
    <SchemaField
      key={key}
      id={`${idPrefix}-${key}`}
      name={key}
      schema={s}
      value={value[key]}
      onChange={(v) => set(key, v)}
      required={required.has(key)}
      disabled={disabled}
      upstream={upstream}
      error={errors[key]}
    />
  );
  const main = props.filter(([k]) => !COMMON.has(k));
  const common = props.filter(([k]) => COMMON.has(k));
  return (
    <div className="space-y-4">
      {main.length === 0 ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          This node has nothing else to configure.
        </p>
      ) : null}
      {main.map(field)}
      {common.length > 0 ? (
        <details className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
          <summary className="cursor-pointer text-sm font-medium">Retries and timeouts</summary>
          <div className="mt-3 space-y-4">{common.map(field)}</div>
        </details>
      ) : null}
    </div>
  );
}
