/** Formatting of the dashboard's usage figures: durations, token counts, costs, hours. */

/** A duration in milliseconds: "420 ms", "3.2 s", "4.5 min", "2.1 h"; "—" for none. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** A token count with the locale's grouping ("12,345"), or compact past a million. */
export function formatTokens(n: number): string {
  return n >= 1_000_000
    ? new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 2 }).format(n)
    : new Intl.NumberFormat().format(n);
}

/** An estimated cost in the prices' currency units: "unknown" without a price. */
export function formatCost(cost: number | null | undefined): string {
  if (cost === null || cost === undefined) return "unknown";
  if (cost === 0) return "0";
  if (cost < 0.01) return cost.toPrecision(2);
  return cost.toFixed(2);
}

/** The label of an hour bucket: "14:00" over 24 h, "Tue 14:00" over 7 days. */
export function formatHour(iso: string, week: boolean): string {
  const d = new Date(iso);
  return d.toLocaleString(undefined, {
    weekday: week ? "short" : undefined,
    hour: "2-digit",
    minute: "2-digit",
  });
}
