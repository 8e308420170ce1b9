"use client";

import * as Menu from "@radix-ui/react-dropdown-menu";
import type { ReactElement, ReactNode } from "react";

export interface MenuItem {
  label: string;
  onSelect: () => void;
  danger?: boolean;
}

/** A menu opened by "trigger" (Radix DropdownMenu). */
export function DropdownMenu({
  trigger,
  items,
  header,
}: {
  trigger: ReactElement;
  items: readonly MenuItem[];
  header?: ReactNode;
}) {
  return (
    <Menu.Root>
      <Menu.Trigger asChild>{trigger}</Menu.Trigger>
      <Menu.Portal>
        <Menu.Content
          align="end"
          sideOffset={6}
          className="z-50 min-w-48 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          {header !== undefined ? (
            <>
              <Menu.Label className="px-2 py-1.5 text-xs text-zinc-500 dark:text-zinc-400">
                {header}
              </Menu.Label>
              <Menu.Separator className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
            </>
          ) : null}
          {items.map((it) => (
            <Menu.Item
              key={it.label}
              onSelect={it.onSelect}
              className={`cursor-default rounded-md px-2 py-1.5 text-sm outline-none select-none data-highlighted:bg-zinc-100 dark:data-highlighted:bg-zinc-800 ${it.danger ? "text-red-600 dark:text-red-400" : ""}`}
            >
              {it.label}
            </Menu.Item>
          ))}
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}
