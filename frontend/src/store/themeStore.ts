/**
 * The colour theme: "light", "dark" or "system", kept in localStorage under
 * "fragent-theme". The inline script in the root layout applies it before the
 * first paint (no flash); this store keeps it in sync afterwards.
 */

import { create } from "zustand";

export type ThemeChoice = "light" | "dark" | "system";
export const THEME_KEY = "fragent-theme";

function stored(): ThemeChoice {
  if (typeof window === "undefined") return "system";
  try {
    const v = window.localStorage.getItem(THEME_KEY);
    return v === "light" || v === "dark" ? v : "system";
  } catch {
    return "system";
  }
}

/** Sets or clears the "dark" class on <html> for "choice". */
export function applyTheme(choice: ThemeChoice): void {
  if (typeof document === "undefined") return;
  const dark =
    choice === "dark" ||
    (choice === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
  document.documentElement.style.colorScheme = dark ? "dark" : "light";
}

interface ThemeState {
  choice: ThemeChoice;
  setChoice: (c: ThemeChoice) => void;
}

// Starts as "system" on the server and in the first client render (same HTML);
// watchSystemTheme() then reads the stored choice.
export const useThemeStore = create<ThemeState>()((set) => ({
  choice: "system",
  setChoice: (choice) => {
    try {
      if (choice === "system") window.localStorage.removeItem(THEME_KEY);
      else window.localStorage.setItem(THEME_KEY, choice);
    } catch {
      // Storage may be disabled; the choice still holds for this page.
    }
    applyTheme(choice);
    set({ choice });
  },
}));

/** The script the root layout inlines into <head>: applies the stored theme before paint. */
export const THEME_BOOT_SCRIPT = `(function(){try{var c=localStorage.getItem("${THEME_KEY}");var d=c==="dark"||(c!=="light"&&window.matchMedia("(prefers-color-scheme: dark)").matches);var e=document.documentElement;if(d)e.classList.add("dark");e.style.colorScheme=d?"dark":"light";}catch(_){}})();`;

/**
 * Loads the stored choice and follows the system's light/dark setting while the
 * choice is "system"; returns the stop. Call once, after the first render.
 */
export function watchSystemTheme(): () => void {
  useThemeStore.setState({ choice: stored() });
  const mq = window.matchMedia("(prefers-color-scheme: dark)");
  const onChange = () => {
    if (useThemeStore.getState().choice === "system") applyTheme("system");
  };
  mq.addEventListener("change", onChange);
  return () => mq.removeEventListener("change", onChange);
}
