"use client";

import * as TabsPrimitive from "@radix-ui/react-tabs";
import type { ReactNode } from "react";

export interface TabItem {
  value: string;
  label: string;
  content: ReactNode;
}

/** Tabs (Radix Tabs) from a list of items. */
export function Tabs({
  items,
  label,
  value,
  onValueChange,
}: {
  items: readonly TabItem[];
  label: string;
  value?: string;
  onValueChange?: (v: string) => void;
}) {
  return (
    <TabsPrimitive.Root
      defaultValue={items[0]?.value}
      value={value}
      onValueChange={onValueChange}
      className="flex min-h-0 flex-col"
    >
      <TabsPrimitive.List
        aria-label={label}
        className="flex gap-1 border-b border-zinc-200 dark:border-zinc-800"
      >
        {items.map((t) => (
          <TabsPrimitive.Trigger
            key={t.value}
            value={t.value}
            className="-mb-px border-b-2 border-transparent px-3 py-2 text-sm font-medium text-zinc-600 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-500 data-[state=active]:border-indigo-600 data-[state=active]:text-indigo-700 dark:text-zinc-400 dark:hover:text-zinc-100 dark:data-[state=active]:border-indigo-400 dark:data-[state=active]:text-indigo-300"
          >
            {t.label}
          </TabsPrimitive.Trigger>
        ))}
      </TabsPrimitive.List>
      {items.map((t) => (
        <TabsPrimitive.Content key={t.value} value={t.value} className="min-h-0 pt-3 outline-none">
          {t.content}
        </TabsPrimitive.Content>
      ))}
    </TabsPrimitive.Root>
  );
}
