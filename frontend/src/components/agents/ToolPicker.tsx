"use client";

import { useTools } from "@/api";

import { ProblemAlert } from "../ProblemAlert";
import { CheckboxField } from "../ui/CheckboxField";
import { Skeleton } from "../ui/Skeleton";

/** The tool catalogue (GET /tools) as checkboxes. */
export function ToolPicker({
  value,
  onChange,
  disabled,
}: {
  value: readonly string[];
  onChange: (v: string[]) => void;
  disabled: boolean;
}) {
  const tools = useTools();
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Tools</legend>
      {tools.isPending ? (
        <Skeleton className="h-10" />
      ) : tools.isError ? (
        <ProblemAlert error={tools.error} context="Could not load the tools" />
      ) : tools.data.length === 0 ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          No tools are available on this server yet.
        </p>
      ) : (
        <ul className="space-y-2">
          {tools.data.map((t) => {
            const id = `tool-${t.name}`;
            return (
              <li key={t.name}>
                <CheckboxField
                  id={id}
                  label={t.title}
                  hint={t.description}
                  checked={value.includes(t.name)}
                  disabled={disabled}
                  onCheckedChange={(on) =>
                    onChange(on ? [...value, t.name] : value.filter((x) => x !== t.name))
                  }
                />
              </li>
            );
          })}
        </ul>
      )}
    </fieldset>
  );
}
