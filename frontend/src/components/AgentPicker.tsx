"use client";

import { useAgents } from "@/api";

import { IdPicker, type IdPickerProps } from "./IdPicker";

/** Agent id picker (agents the user can see). */
export function AgentPicker(p: IdPickerProps) {
  const items = (useAgents().data?.items ?? []).map((a) => ({ value: a.id, label: a.name }));
  return <IdPicker {...p} items={items} emptyLabel="Choose an agent" />;
}
