import type { ExecutionTrigger } from "@/api";

import { StrokeIcon } from "../ui/StrokeIcon";

/** Each trigger's label and line icon (24×24 paths). */
export const TRIGGER_STYLES: Record<ExecutionTrigger, { label: string; icon: string }> = {
  manual: { label: "Manual", icon: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0" },
  api: { label: "API", icon: "M8 7l-5 5 5 5M16 7l5 5-5 5M14 4l-4 16" },
  webhook: { label: "Webhook", icon: "M13 2 4 14h7l-1 8 9-12h-7z" },
  schedule: { label: "Schedule", icon: "M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18zM12 7v5l3 2" },
  tool: {
    label: "Tool",
    icon: "M14.7 6.3a4 4 0 0 0-5.4 5.2L3 17.8V21h3.2l6.3-6.3a4 4 0 0 0 5.2-5.4l-2.5 2.5-2.3-.6-.6-2.3z",
  },
  workflow: {
    label: "Workflow",
    icon: "M4 4h6v6H4zM14 14h6v6h-6zM7 10v4a3 3 0 0 0 3 3h4",
  },
  replay: { label: "Replay", icon: "M3 12a9 9 0 1 0 3-6.7L3 8M3 3v5h5" },
};

/** What started a run, as a small grey label with an icon ("Webhook"). */
export function TriggerBadge({ trigger }: { trigger: ExecutionTrigger | undefined }) {
  const t = TRIGGER_STYLES[trigger ?? "manual"];
  return (
    <span className="inline-flex items-center gap-1 rounded-md bg-zinc-100 px-1.5 py-0.5 text-xs font-medium whitespace-nowrap text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
      <span className="sr-only">Trigger: </span>
      <StrokeIcon d={t.icon} className="size-3.5 shrink-0" />
      {t.label}
    </span>
  );
}
