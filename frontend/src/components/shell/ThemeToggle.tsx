"use client";

import { useThemeStore, type ThemeChoice } from "@/store/themeStore";

import { DropdownMenu } from "../ui/DropdownMenu";

const LABELS: Record<ThemeChoice, string> = { light: "Light", dark: "Dark", system: "System" };
const ICONS: Record<ThemeChoice, string> = { light: "☀", dark: "☾", system: "◐" };

/** Chooses the light, dark or system theme. */
export function ThemeToggle() {
  const choice = useThemeStore((s) => s.choice);
  const setChoice = useThemeStore((s) => s.setChoice);
  return (
    <DropdownMenu
      trigger={
        <button
          type="button"
          aria-label={`Theme: ${LABELS[choice]}`}
          className="grid size-8 place-items-center rounded-lg text-zinc-600 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-zinc-300 dark:hover:bg-zinc-800"
        >
          <span aria-hidden="true" suppressHydrationWarning>
            {ICONS[choice]}
          </span>
        </button>
      }
      items={(["light", "dark", "system"] as const).map((c) => ({
        label: `${LABELS[c]} theme`,
        onSelect: () => setChoice(c),
      }))}
    />
  );
}
