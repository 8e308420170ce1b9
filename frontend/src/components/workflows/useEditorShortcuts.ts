"use client";

import { useEffect, useRef } from "react";

import { useEditorStore } from "@/store/editorStore";

function typing(el: EventTarget | null): boolean {
  return (
    el instanceof HTMLElement &&
    (el.isContentEditable ||
      el.tagName === "INPUT" ||
      el.tagName === "TEXTAREA" ||
      el.tagName === "SELECT")
  );
}

/**
 * Editor keys: Ctrl/Cmd+S saves (anywhere), Ctrl/Cmd+Z undoes and Ctrl/Cmd+Shift+Z
 * or Ctrl+Y redoes (outside text fields, which keep their own undo). Delete and
 * Backspace are handled by the canvas.
 */
export function useEditorShortcuts(enabled: boolean, onSave: () => void): void {
  const save = useRef(onSave);
  useEffect(() => {
    save.current = onSave;
  }, [onSave]);
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const key = e.key.toLowerCase();
      if (key === "s") {
        e.preventDefault();
        save.current();
        return;
      }
      if (typing(e.target)) return;
      if (key === "z" && !e.shiftKey) {
        e.preventDefault();
        useEditorStore.getState().undo();
      } else if ((key === "z" && e.shiftKey) || key === "y") {
        e.preventDefault();
        useEditorStore.getState().redo();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [enabled]);
}
