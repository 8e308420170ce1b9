/* CheckboxField: a checkbox with its label and a line of hint beside it (the hint describes
 * the checkbox for assistive technology). */
import type { ReactNode } from "react";

import { Checkbox } from "./Checkbox";
import { Label } from "./Label";

export interface CheckboxFieldProps {
  id: string;
  label: ReactNode;
  hint: ReactNode;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  disabled?: boolean;
}

export function CheckboxField({ id, label, hint, ...box }: CheckboxFieldProps) {
  return (
    <div className="flex items-start gap-2">
      <Checkbox id={id} aria-describedby={`${id}-hint`} {...box} />
      <div className="-mt-0.5">
        <Label htmlFor={id}>{label}</Label>
        <p id={`${id}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      </div>
    </div>
  );
}
