import type { JsonValue } from "@/api";
import { formatJson } from "@/lib/format";

/** The answer text of a finished chat execution's results. */
export function replyText(results: JsonValue | undefined): string {
  if (results === undefined || results === null) return "";
  if (typeof results === "string") return results;
  if (typeof results === "object" && !Array.isArray(results)) {
    for (const key of ["output", "answer", "reply", "text", "content"]) {
      const v = results[key];
      if (typeof v === "string") return v;
    }
    const values = Object.values(results);
    if (values.length === 1 && typeof values[0] === "string") return values[0];
  }
  return formatJson(results);
}
