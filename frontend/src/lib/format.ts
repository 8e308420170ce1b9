/** Display helpers for dates, times and JSON. */

import type { JsonValue } from "@/api";

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const timeFmt = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  fractionalSecondDigits: 3,
});

function parse(iso: string | null | undefined): Date | null {
  if (iso === undefined || iso === null || iso === "") return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "Mar 4, 2026, 10:12 AM"; the input unchanged when it is not a date. */
export function formatDateTime(iso: string | null | undefined): string {
  const d = parse(iso);
  return d === null ? iso || "—" : dateFmt.format(d);
}

/** "10:12:04.123" for event times. */
export function formatClock(iso: string): string {
  const d = parse(iso);
  return d === null ? iso || "—" : timeFmt.format(d);
}

/** Pretty JSON; strings are shown as they are, without quotes. */
export function formatJson(value: JsonValue | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, 2);
}
