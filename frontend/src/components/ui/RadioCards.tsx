"use client";

import { cn } from "./cn";

export interface RadioCardOption<V extends string> {
  value: V;
  label: string;
  /** One line on what choosing it means. */
  description: string;
}

/**
 * A choice among a few options, each with a line of explanation: native radio
 * buttons in a fieldset (arrow keys move between them), drawn as cards.
 */
export function RadioCards<V extends string>({
  name,
  legend,
  value,
  onChange,
  options,
  disabled,
  columns = 1,
}: {
  name: string;
  legend: string;
  value: V;
  onChange: (value: V) => void;
  options: readonly RadioCardOption<V>[];
  disabled?: boolean;
  columns?: 1 | 2 | 3;
}) {
  return (
    <fieldset className="space-y-1.5" disabled={disabled}>
      <legend className="mb-1.5 text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {legend}
      </legend>
      <div
        className={cn(
          "grid gap-2",
          columns === 2 && "sm:grid-cols-2",
          columns === 3 && "sm:grid-cols-3",
        )}
      >
        {options.map((o) => {
          const id = `${name}-${o.value}`;
          const checked = o.value === value;
          return (
            <label
              key={o.value}
              htmlFor={id}
              className={cn(
                "flex cursor-pointer gap-2.5 rounded-lg border px-3 py-2 text-sm transition-colors has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-indigo-500",
                checked
                  ? "border-indigo-500 bg-indigo-50/60 dark:border-indigo-400 dark:bg-indigo-950/40"
                  : "border-zinc-200 hover:border-zinc-300 dark:border-zinc-700 dark:hover:border-zinc-600",
              )}
            >
              <input
                id={id}
                type="radio"
                name={name}
                value={o.value}
                checked={checked}
                onChange={() => onChange(o.value)}
                aria-describedby={`${id}-desc`}
                className="mt-0.5 size-4 shrink-0 accent-indigo-600 focus-visible:outline-none"
              />
              <span className="min-w-0">
                <span className="block font-medium">{o.label}</span>
                <span id={`${id}-desc`} className="block text-xs text-zinc-600 dark:text-zinc-400">
                  {o.description}
                </span>
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
