import type { JsonValue } from "@/api";
import { formatJson } from "@/lib/format";

export interface JsonBlockProps {
  value: JsonValue | undefined;
  /** Accessible name of the block, e.g. "Results". */
  label: string;
  compact?: boolean;
}

/** Pretty-printed JSON in a scrollable, keyboard-focusable box. */
export function JsonBlock({ value, label, compact = false }: JsonBlockProps) {
  return (
    <pre
      tabIndex={0}
      aria-label={label}
      className={`overflow-auto rounded-md bg-zinc-100 font-mono text-zinc-800 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:bg-zinc-800/70 dark:text-zinc-100 ${
        compact ? "max-h-32 px-2 py-1 text-xs" : "max-h-80 p-3 text-sm"
      }`}
    >
      {formatJson(value)}
    </pre>
  );
}
