import { CopyButton } from "../ui/CopyButton";

/**
 * The W3C trace id of a run (its spans went to the operator's OpenTelemetry collector):
 * shortened on screen, whole in the tooltip and on the clipboard, for pasting into Jaeger,
 * Tempo or whichever trace viewer the collector feeds.
 */
export function TraceId({ traceId }: { traceId: string }) {
  return (
    <span className="inline-flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
      <span>
        Trace{" "}
        <code title={traceId} className="font-mono text-xs" data-testid="trace-id">
          {traceId.slice(0, 12)}…
        </code>
      </span>
      <CopyButton text={traceId} label="Copy trace id" size="sm" />
    </span>
  );
}
