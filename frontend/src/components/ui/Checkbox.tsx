"use client";

import * as CheckboxPrimitive from "@radix-ui/react-checkbox";

export interface CheckboxProps {
  id: string;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  disabled?: boolean;
  "aria-describedby"?: string;
}

/** A checkbox (Radix Checkbox); label it with a <Label htmlFor={id}>. */
export function Checkbox({ id, checked, onCheckedChange, disabled, ...aria }: CheckboxProps) {
  return (
    <CheckboxPrimitive.Root
      id={id}
      checked={checked}
      onCheckedChange={(c) => onCheckedChange(c === true)}
      disabled={disabled}
      className="grid size-4 shrink-0 place-items-center rounded border border-zinc-400 bg-white focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 data-[state=checked]:border-indigo-600 data-[state=checked]:bg-indigo-600 dark:border-zinc-600 dark:bg-zinc-900"
      {...aria}
    >
      <CheckboxPrimitive.Indicator className="text-[10px] leading-none text-white">
        ✓
      </CheckboxPrimitive.Indicator>
    </CheckboxPrimitive.Root>
  );
}
