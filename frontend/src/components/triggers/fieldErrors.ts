/** A problem's field errors by field name, for the forms of the triggers panel. */

import { toProblem } from "@/api";

/** The messages of "err" (a 422's errors) keyed by field ("cron", "methods"…). */
export function fieldErrors(err: unknown): Record<string, string> {
  if (err === null || err === undefined) return {};
  const out: Record<string, string> = {};
  for (const e of toProblem(err).errors) {
    const key = e.field.replace(/\[\d+\]$/, "");
    if (key !== "" && out[key] === undefined) out[key] = e.message;
  }
  return out;
}

/** True when "err" has something a form that shows "shown" beside its fields would not show. */
export function needsAlert(err: unknown, shown: readonly string[]): boolean {
  if (err === null || err === undefined) return false;
  const fields = Object.keys(fieldErrors(err));
  return fields.length === 0 || fields.some((f) => !shown.includes(f));
}
