/** Saving and reading workflow export files in the browser. */

import type { WorkflowDefinition, WorkflowExport } from "@/api";

/** Offers "doc" as a download named after the workflow. */
export function downloadExport(doc: WorkflowExport): void {
  const blob = new Blob([JSON.stringify(doc, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = `${doc.name.replace(/[^A-Za-z0-9_.-]+/g, "-") || "workflow"}.fragent.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Reads an export document (or a bare definition) from a file's text. Throws an
 * Error with a message for the user when it is neither.
 */
export function parseExport(text: string, fallbackName: string): WorkflowExport {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error("The file is not JSON.");
  }
  if (typeof v !== "object" || v === null) throw new Error("The file holds no workflow.");
  const o = v as Record<string, unknown>;
  const def = (o.definition ?? o) as Record<string, unknown>;
  if (!Array.isArray(def.nodes)) throw new Error("The file has no nodes.");
  return {
    fragent_export: 1,
    name: typeof o.name === "string" && o.name !== "" ? o.name : fallbackName,
    description: typeof o.description === "string" ? o.description : "",
    definition: {
      nodes: def.nodes,
      edges: Array.isArray(def.edges) ? def.edges : [],
    } as WorkflowDefinition,
  };
}
