"use client";

import { useEffect, useState } from "react";

import { Input } from "./ui/Input";

/** A search box that reports its text after a short pause in typing. */
export function SearchInput({ label, onSearch }: { label: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState("");
  useEffect(() => {
    const t = setTimeout(() => onSearch(text.trim()), 250);
    return () => clearTimeout(t);
  }, [text, onSearch]);
  return (
    <Input
      type="search"
      aria-label={label}
      placeholder={label}
      value={text}
      onChange={(e) => setText(e.target.value)}
      className="max-w-xs"
    />
  );
}
