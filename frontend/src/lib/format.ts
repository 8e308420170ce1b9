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

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
const LONG_UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * DAY_MS],
  ["month", 30 * DAY_MS],
  ["week", WEEK_MS],
];

/**
 * The day "d" falls on in "timeZone" counted in days; in the browser's zone when
 * "timeZone" is undefined or not one the browser knows (a schedule's zone comes from the
 * server, which may know more zones than the browser).
 */
function calendarDay(d: Date, timeZone: string | undefined): number {
  const opts: Intl.DateTimeFormatOptions = { year: "numeric", month: "2-digit", day: "2-digit" };
  let ymd: string;
  try {
    ymd = new Intl.DateTimeFormat("en-CA", { ...opts, timeZone }).format(d);
  } catch {
    ymd = new Intl.DateTimeFormat("en-CA", opts).format(d);
  }
  return Math.round(Date.parse(`${ymd}T00:00:00Z`) / DAY_MS);
}

/**
 * "in 3 hours", "tomorrow", "in 2 days", "2 weeks ago", "now": the time from "nowMs" to
 * "iso"; "—" when it is not a date. Under a day it is counted in whole minutes or hours
 * (rounded); from a day to a week in calendar days of "timeZone" (the browser's when
 * undefined), so that "tomorrow" is always the next date: Monday 09:00 seen on a Saturday
 * evening is "in 2 days", although it is 36 hours away. Longer spans in rounded weeks,
 * months or years.
 */
export function formatRelative(
  iso: string | null | undefined,
  nowMs: number,
  locale?: string,
  timeZone?: string,
) {
  const d = parse(iso);
  if (d === null) return "—";
  const diff = d.getTime() - nowMs;
  const abs = Math.abs(diff);
  if (abs >= WEEK_MS) {
    const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "always" });
    for (const [unit, ms] of LONG_UNITS) {
      if (abs >= ms) return rtf.format(Math.round(diff / ms), unit);
    }
  }
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  if (abs >= DAY_MS) {
    return rtf.format(calendarDay(d, timeZone) - calendarDay(new Date(nowMs), timeZone), "day");
  }
  if (abs >= HOUR_MS) return rtf.format(Math.round(diff / HOUR_MS), "hour");
  if (abs >= 60_000) return rtf.format(Math.round(diff / 60_000), "minute");
  return abs < 30_000 ? rtf.format(0, "second") : rtf.format(Math.sign(diff), "minute");
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
