/** The IANA time zones a schedule may name, and the browser's own. */

/** The browser's time zone ("Europe/Paris"), or "UTC" when it does not say. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/*
 * The names the runtime knows (Intl.supportedValuesOf, absent from older engines and
 * from the ES2022 library types), "fallback" when it cannot list them.
 */
function supported(fallback: readonly string[]): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: "timeZone") => string[] };
  try {
    return intl.supportedValuesOf?.("timeZone") ?? [...fallback];
  } catch {
    return [...fallback];
  }
}

/**
 * The time zones to offer, sorted, without repeats: those the runtime lists (or
 * "fallback"), UTC (which runtimes often leave out of their list) and "extra" (the zone
 * of the schedule being edited, the browser's).
 */
export function timeZoneList(extra: readonly string[] = [], fallback: readonly string[] = []) {
  const all = new Set([...supported(fallback), "UTC", ...extra.filter((z) => z !== "")]);
  return [...all].sort((a, b) => a.localeCompare(b));
}
