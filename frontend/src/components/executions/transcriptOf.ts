import type { JsonValue } from "@/api";

/** The agent transcript a step carries (output.transcript, usage.transcript or output.messages), if any. */
export function transcriptOf(...sources: Array<JsonValue | undefined>): JsonValue[] | null {
  for (const s of sources) {
    if (typeof s !== "object" || s === null || Array.isArray(s)) continue;
    for (const key of ["transcript", "messages"]) {
      const v = s[key];
      if (Array.isArray(v)) return v;
    }
  }
  return null;
}
