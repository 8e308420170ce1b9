"use client";

import { useState, type FormEvent } from "react";

import type { JsonObject } from "@/api";

import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field } from "../ui/Field";
import { Textarea } from "../ui/Textarea";

export interface RunDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Input fields the workflow's templates read, to prefill the JSON. */
  fields: readonly string[];
  busy: boolean;
  onRun: (inputs: JsonObject) => void;
}

function initial(fields: readonly string[]): string {
  return JSON.stringify(Object.fromEntries(fields.map((f) => [f, ""])), null, 2);
}

/** Asks for the run's inputs as a JSON object. */
export function RunDialog({ open, onOpenChange, fields, busy, onRun }: RunDialogProps) {
  const [text, setText] = useState(() => initial(fields));
  const [error, setError] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    let v: unknown;
    try {
      v = JSON.parse(text === "" ? "{}" : text);
    } catch {
      setError("This is not valid JSON.");
      return;
    }
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      setError('The inputs must be a JSON object, like {"name": "Ada"}.');
      return;
    }
    setError("");
    onRun(v as JsonObject);
  };
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        if (o) setText(initial(fields));
        onOpenChange(o);
      }}
      title="Run workflow"
      description={
        fields.length > 0
          ? `The workflow reads ${fields.map((f) => `“${f}”`).join(", ")} from its input.`
          : "Give the run its inputs (the input node's output)."
      }
    >
      <form onSubmit={submit} className="space-y-4">
        <Field id="run-inputs" label="Inputs (JSON)" error={error}>
          <Textarea
            id="run-inputs"
            mono
            rows={8}
            value={text}
            onChange={(e) => setText(e.target.value)}
            spellCheck={false}
          />
        </Field>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Start run
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
