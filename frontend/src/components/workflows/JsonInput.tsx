"use client";

import { useState } from "react";

import type { JsonValue } from "@/api";

import { Textarea } from "../ui/Textarea";

/** JSON edited as text; the value changes only when the text parses. */
export function JsonInput(p: {
  id: string;
  value: JsonValue | undefined;
  onChange: (v: JsonValue | undefined) => void;
  disabled: boolean;
  onError: (e: string) => void;
}) {
  const [text, setText] = useState(() =>
    p.value === undefined ? "" : JSON.stringify(p.value, null, 2),
  );
  return (
    <Textarea
      id={p.id}
      mono
      rows={4}
      value={text}
      disabled={p.disabled}
      onChange={(e) => {
        setText(e.target.value);
        if (e.target.value.trim() === "") {
          p.onError("");
          p.onChange(undefined);
          return;
        }
        try {
          p.onChange(JSON.parse(e.target.value) as JsonValue);
          p.onError("");
        } catch {
          p.onError("Not valid JSON yet.");
        }
      }}
    />
  );
}
