"use client";

import { useState } from "react";

import type { RunBudget } from "@/api";
import { budgetOf, draftOf, type BudgetDraft } from "@/lib/budget";

import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field } from "../ui/Field";
import { Input } from "../ui/Input";

const FIELDS: { key: keyof BudgetDraft; label: string; hint: string }[] = [
  { key: "max_tokens", label: "Model tokens", hint: "Prompt and completion, all agents together." },
  {
    key: "max_cost_usd",
    label: "Estimated cost (USD)",
    hint: "From the model prices in Settings; a model without a price cannot run under it.",
  },
  { key: "max_steps", label: "Steps", hint: "Nodes started (a node's retries count once)." },
  { key: "max_duration_s", label: "Wall time (seconds)", hint: "From the run's start." },
];

/**
 * The workflow's run budget: limits the engine enforces as a run goes (a model call that would
 * pass one is not made, and the run fails naming it). Empty fields are no limit.
 */
export function BudgetDialog({
  open,
  onOpenChange,
  budget,
  editable,
  onApply,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  budget: RunBudget | undefined;
  editable: boolean;
  onApply: (budget: RunBudget | undefined) => void;
}) {
  const [draft, setDraft] = useState<BudgetDraft>(() => draftOf(budget));
  const [error, setError] = useState<{ field: keyof BudgetDraft; message: string } | null>(null);
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        if (o) {
          setDraft(draftOf(budget));
          setError(null);
        }
        onOpenChange(o);
      }}
      title="Run budget"
      description="Every run of this workflow stops when it would pass a limit. Leave a field empty for no limit."
      footer={
        editable ? (
          <>
            <Button variant="ghost" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button
              onClick={() => {
                const r = budgetOf(draft);
                if ("field" in r) {
                  setError(r);
                  return;
                }
                onApply(r.budget);
                onOpenChange(false);
              }}
            >
              Apply
            </Button>
          </>
        ) : (
          <Button variant="ghost" onClick={() => onOpenChange(false)}>
            Close
          </Button>
        )
      }
    >
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
        }}
      >
        {FIELDS.map((f) => (
          <Field
            key={f.key}
            id={`budget-${f.key}`}
            label={f.label}
            hint={f.hint}
            error={error?.field === f.key ? error.message : undefined}
          >
            <Input
              id={`budget-${f.key}`}
              inputMode="decimal"
              placeholder="No limit"
              value={draft[f.key]}
              disabled={!editable}
              aria-invalid={error?.field === f.key}
              onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })}
            />
          </Field>
        ))}
      </form>
    </Dialog>
  );
}
