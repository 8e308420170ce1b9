"use client";

import { useState } from "react";

import { browserTimeZone, timeZoneList } from "@/lib/timezones";

import { Input } from "../ui/Input";

/**
 * A time zone field: type to filter the IANA names the browser knows (a native
 * combobox over a datalist), e.g. "Paris" → Europe/Paris.
 */
export function TimeZoneInput({
  id,
  value,
  onChange,
  invalid,
  describedBy,
}: {
  id: string;
  value: string;
  onChange: (zone: string) => void;
  invalid: boolean;
  describedBy?: string;
}) {
  // The zone the form opened with stays offered even when the runtime does not list it.
  const [zones] = useState(() => timeZoneList([value, browserTimeZone()]));
  return (
    <>
      <Input
        id={id}
        list={`${id}-zones`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        placeholder="Europe/Paris"
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
      />
      <datalist id={`${id}-zones`}>
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}
