"use client";

import { useRef } from "react";

/**
 * Focus handlers for a Radix Dialog opened by something other than its own Trigger
 * (a toolbar button, a menu item): Radix would send focus to the page's body on close,
 * these give it back to what had it when the dialog opened, if it is still there.
 */
export function useReturnFocus() {
  const opener = useRef<HTMLElement | null>(null);
  return {
    onOpenAutoFocus: () => {
      const el = document.activeElement;
      opener.current = el instanceof HTMLElement && el !== document.body ? el : null;
    },
    onCloseAutoFocus: (e: Event) => {
      const el = opener.current;
      opener.current = null;
      if (el !== null && el.isConnected) {
        e.preventDefault();
        el.focus();
      }
    },
  };
}
