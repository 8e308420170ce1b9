"use client";

import { useState } from "react";

import type { JsonObject } from "@/api";
import { isValidCaseName, nextCaseName, type SwitchCase } from "@/lib/graph";

import { Button } from "../ui/Button";
import { Input } from "../ui/Input";
import { Label } from "../ui/Label";
import { Textarea } from "../ui/Textarea";

/** Cases a switch may have (the API's limit). */
const MAX_CASES = 16;

/**
 * A switch's cases: each a handle name and a jq condition, checked in order. Renaming or
 * removing a case moves or removes the connections leaving its handle ("onChange"'s
 * second argument: old name → new name, or null).
 */
export function CasesEditor({
  idPrefix,
  member,
  cases,
  config,
  reserved,
  disabled,
  onChange,
}: {
  idPrefix: string;
  /** The config member holding the cases ("cases"). */
  member: string;
  cases: readonly SwitchCase[];
  config: JsonObject;
  /** Handle names a case may not take (the type's own outputs and "error"). */
  reserved: readonly string[];
  disabled: boolean;
  onChange: (config: JsonObject, handles?: Record<string, string | null>) => void;
}) {
  const [draft, setDraft] = useState<{ index: number; value: string } | null>(null);
  const [nameError, setNameError] = useState<{ index: number; text: string } | null>(null);

  const write = (next: readonly SwitchCase[], handles?: Record<string, string | null>) =>
    onChange({ ...config, [member]: next.map((c) => ({ name: c.name, expr: c.expr })) }, handles);

  const commitName = (i: number) => {
    if (draft === null || draft.index !== i) {
      if (nameError !== null && nameError.index === i) setNameError(null);
      return;
    }
    const from = cases[i]?.name ?? "";
    const to = draft.value.trim();
    setDraft(null);
    if (to === from) {
      setNameError(null);
      return;
    }
    let problem = "";
    if (!isValidCaseName(to)) problem = 'Use letters, digits and "_", not starting with a digit.';
    else if (reserved.includes(to)) problem = `"${to}" is a handle every switch has.`;
    else if (cases.some((c, k) => k !== i && c.name === to)) problem = `A case "${to}" exists.`;
    if (problem !== "") {
      setNameError({ index: i, text: problem });
      return;
    }
    setNameError(null);
    write(
      cases.map((c, k) => (k === i ? { ...c, name: to } : c)),
      from !== "" ? { [from]: to } : undefined,
    );
  };

  const move = (i: number, by: number) => {
    const next = [...cases];
    const [c] = next.splice(i, 1);
    if (c === undefined) return;
    next.splice(i + by, 0, c);
    write(next);
  };

  return (
    <section aria-label="Cases" className="space-y-2">
      <div>
        <h3 className="text-sm font-medium">Cases</h3>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          Checked in order: the first whose jq condition is true wins and follows its own handle;
          when none is, the switch follows <code className="font-mono">default</code>.
        </p>
      </div>
      {cases.length === 0 ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">No case yet.</p>
      ) : null}
      <ol className="space-y-3">
        {cases.map((c, i) => {
          const nameId = `${idPrefix}-case-${i}-name`;
          const exprId = `${idPrefix}-case-${i}-expr`;
          const err = nameError !== null && nameError.index === i ? nameError.text : "";
          return (
            <li
              // Keyed by name, so a moved case keeps its controls (and the focus).
              key={
                c.name !== "" && cases.findIndex((x) => x.name === c.name) === i
                  ? `n-${c.name}`
                  : `i-${i}`
              }
              className="space-y-1.5 rounded-lg border border-zinc-200 p-2 dark:border-zinc-800"
            >
              <div className="flex items-center justify-between gap-1">
                <Label htmlFor={nameId} className="text-xs">
                  Case {i + 1} handle
                </Label>
                <div className="flex items-center">
                  <Button
                    variant="ghost"
                    size="icon"
                    disabled={disabled || i === 0}
                    aria-label={`Move case ${c.name} up`}
                    title="Move up"
                    onClick={() => move(i, -1)}
                  >
                    ↑
                  </Button>
                  <Button
                    variant="ghost"
                    size="icon"
                    disabled={disabled || i === cases.length - 1}
                    aria-label={`Move case ${c.name} down`}
                    title="Move down"
                    onClick={() => move(i, 1)}
                  >
                    ↓
                  </Button>
                  <Button
                    variant="ghost"
                    size="icon"
                    disabled={disabled}
                    aria-label={`Remove case ${c.name}`}
                    title="Remove"
                    onClick={() =>
                      write(
                        cases.filter((_, k) => k !== i),
                        c.name !== "" ? { [c.name]: null } : undefined,
                      )
                    }
                  >
                    ✕
                  </Button>
                </div>
              </div>
              <Input
                id={nameId}
                className="font-mono"
                value={draft !== null && draft.index === i ? draft.value : c.name}
                disabled={disabled}
                aria-invalid={err !== "" || undefined}
                aria-describedby={err !== "" ? `${nameId}-error` : undefined}
                onChange={(e) => {
                  setDraft({ index: i, value: e.target.value });
                  if (err !== "") setNameError(null);
                }}
                onBlur={() => commitName(i)}
                onKeyDown={(e) => {
                  if (e.key === "Enter") commitName(i);
                }}
              />
              {err !== "" ? (
                <p
                  id={`${nameId}-error`}
                  className="text-xs font-medium text-red-600 dark:text-red-400"
                >
                  {err}
                </p>
              ) : null}
              <Label htmlFor={exprId} className="text-xs">
                Condition (jq)
              </Label>
              <Textarea
                id={exprId}
                mono
                rows={2}
                value={c.expr}
                disabled={disabled}
                spellCheck={false}
                placeholder='.in.kind == "refund"'
                onChange={(e) =>
                  write(cases.map((x, k) => (k === i ? { ...x, expr: e.target.value } : x)))
                }
              />
            </li>
          );
        })}
      </ol>
      <Button
        variant="secondary"
        size="sm"
        disabled={disabled || cases.length >= MAX_CASES}
        onClick={() => write([...cases, { name: nextCaseName(cases, reserved), expr: "" }])}
      >
        Add case
      </Button>
    </section>
  );
}
