"use client";

import { useCredentials } from "@/api";

import { IdPicker, type IdPickerProps } from "./IdPicker";

/** Credential id picker. */
export function CredentialPicker(p: IdPickerProps) {
  const items = (useCredentials().data?.items ?? []).map((c) => ({
    value: c.id,
    label: `${c.name} (${c.hint})`,
  }));
  return <IdPicker {...p} items={items} emptyLabel="None" />;
}
