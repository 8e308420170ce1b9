"use client";

import { Select } from "./ui/Select";

/** What every id picker (agents, credentials, workflows) takes. */
export interface IdPickerProps {
  id: string;
  value: string;
  onChange: (v: string) => void;
  disabled: boolean;
}

/**
 * A select of ids by name, "" first (labelled "emptyLabel"); an id that is not among "items"
 * (not loaded yet, or not readable) still shows, as itself.
 */
export function IdPicker({
  items,
  emptyLabel,
  ...p
}: IdPickerProps & { items: { value: string; label: string }[]; emptyLabel: string }) {
  const options = [
    { value: "", label: emptyLabel },
    ...items,
    ...(p.value !== "" && !items.some((i) => i.value === p.value)
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
