"use client";

import { useAgents } from "@/api";

import { Select } from "./ui/Select";

/** Agent id picker (agents the user can see). */
export function AgentPicker(p: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  disabled: boolean;
}) {
  const agents = useAgents();
  const options = [
    { value: "", label: "Choose an agent" },
    ...(agents.data?.items ?? []).map((a) => ({ value: a.id, label: a.name })),
  ];
  return (
    <Select
      id={p.id}
      value={p.value}
      onChange={p.onChange}
      options={options}
      disabled={p.disabled}
    />
  );
}
