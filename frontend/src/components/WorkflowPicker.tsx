"use client";

import { useWorkflows } from "@/api";

import { Select } from "./ui/Select";

/** Workflow id picker (the workflows the user can see), for the nodes that run another. */
export function WorkflowPicker(p: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  disabled: boolean;
}) {
  const workflows = useWorkflows();
  const items = workflows.data?.items ?? [];
  const options = [
    { value: "", label: "Choose a workflow" },
    ...items.map((w) => ({ value: w.id, label: w.name })),
    // A workflow not among the first page (or not readable) still shows as its id.
    ...(p.value !== "" && !items.some((w) => w.id === p.value)
      ? [{ value: p.value, label: p.value }]
      : []),
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
