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

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 24 * 3600_000],
  ["month", 30 * 24 * 3600_000],
  ["week", 7 * 24 * 3600_000],
  ["day", 24 * 3600_000],
  ["hour", 3600_000],
  ["minute", 60_000],
];

/**
 * "in 3 hours", "2 days ago", "now": the time from "nowMs" to "iso" in its largest
 * whole unit (rounded); "—" when it is not a date.
 */
export function formatRelative(iso: string | null | undefined, nowMs: number, locale?: string) {
  const d = parse(iso);
  if (d === null) return "—";
  const diff = d.getTime() - nowMs;
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return rtf.format(Math.round(diff / ms), unit);
  }
  return Math.abs(diff) < 30_000 ? rtf.format(0, "second") : rtf.format(Math.sign(diff), "minute");
}

/**
 * "Mon, Dec 7, 2026, 09:00 CET": "iso" as the clock reads in "timeZone" (an IANA
 * name), with the zone's short name; in the browser's zone when "timeZone" is unknown.
 */
export function formatInZone(iso: string | null | undefined, timeZone: string, locale?: string) {
  const d = parse(iso);
  if (d === null) return iso || "—";
  const opts: Intl.DateTimeFormatOptions = {
    weekday: "short",
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  };
  try {
    return new Intl.DateTimeFormat(locale, { ...opts, timeZone }).format(d);
  } catch {
    return new Intl.DateTimeFormat(locale, opts).format(d);
  }
}
