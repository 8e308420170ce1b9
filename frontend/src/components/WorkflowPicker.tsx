"use client";

import { useWorkflows } from "@/api";

import { IdPicker, type IdPickerProps } from "./IdPicker";

/** Workflow id picker (the workflows the user can see), for the nodes that run another. */
export function WorkflowPicker(p: IdPickerProps) {
  const items = (useWorkflows().data?.items ?? []).map((w) => ({ value: w.id, label: w.name }));
  return <IdPicker {...p} items={items} emptyLabel="Choose a workflow" />;
}
