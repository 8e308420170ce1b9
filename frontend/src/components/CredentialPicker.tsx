"use client";

import { useCredentials } from "@/api";

import { Select } from "./ui/Select";

/** Credential id picker. */
export function CredentialPicker(p: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  disabled: boolean;
}) {
  const creds = useCredentials();
  const options = [
    { value: "", label: "None" },
    ...(creds.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name} (${c.hint})` })),
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
