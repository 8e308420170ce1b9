"use client";

/** The pieces the webhook and schedule forms and rows share: the enabled switch of a form
 * and of a row, a form's error and buttons, a bounded number field. */

import { ProblemAlert } from "../ProblemAlert";
import { Button } from "../ui/Button";
import { Field } from "../ui/Field";
import { Input } from "../ui/Input";
import { Label } from "../ui/Label";
import { Switch } from "../ui/Switch";
import { needsAlert } from "./fieldErrors";

/** A form's enabled switch with what each state means. */
export function EnabledSwitch({
  id,
  checked,
  onChange,
  on,
  off,
}: {
  id: string;
  checked: boolean;
  onChange: (enabled: boolean) => void;
  on: string;
  off: string;
}) {
  return (
    <div className="flex items-center gap-3">
      <Switch id={id} checked={checked} onCheckedChange={onChange} />
      <Label htmlFor={id}>Enabled</Label>
      <span className="text-xs text-zinc-500 dark:text-zinc-400">{checked ? on : off}</span>
    </div>
  );
}

/** A row's enabled switch, labelled with its state and (for screen readers) the row's name. */
export function RowSwitch({
  id,
  name,
  checked,
  disabled,
  onChange,
  offLabel,
}: {
  id: string;
  name: string;
  checked: boolean;
  disabled: boolean;
  onChange: (enabled: boolean) => void;
  offLabel: string;
}) {
  return (
    <div className="ml-auto flex items-center gap-2">
      <Switch id={id} checked={checked} disabled={disabled} onCheckedChange={onChange} />
      <Label htmlFor={id} className="text-xs font-normal text-zinc-600 dark:text-zinc-400">
        {checked ? "Enabled" : offLabel}
        <span className="sr-only"> {name}</span>
      </Label>
    </div>
  );
}

/** The end of a form: the save error its fields do not show, Cancel and submit. */
export function FormActions({
  error,
  shown,
  context,
  onCancel,
  busy,
  submitLabel,
}: {
  error: unknown;
  shown: readonly string[];
  context: string;
  onCancel: () => void;
  busy: boolean;
  submitLabel: string;
}) {
  return (
    <>
      {needsAlert(error, shown) ? <ProblemAlert error={error} context={context} /> : null}
      <div className="flex justify-end gap-2 border-t border-zinc-200 pt-4 dark:border-zinc-800">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={busy}>
          {submitLabel}
        </Button>
      </div>
    </>
  );
}

/** A number of seconds within "bounds", edited as text. */
export function SecondsField({
  id,
  label,
  hint,
  error,
  bounds,
  step,
  value,
  onChange,
}: {
  id: string;
  label: string;
  hint: string;
  error: string | undefined;
  bounds: { min: number; max: number };
  step: number;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <div className="w-40">
        <Input
          id={id}
          type="number"
          inputMode={Number.isInteger(step) ? "numeric" : "decimal"}
          min={bounds.min}
          max={bounds.max}
          step={step}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={error !== undefined || undefined}
        />
      </div>
    </Field>
  );
}
