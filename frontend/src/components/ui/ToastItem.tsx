"use client";

import { useEffect } from "react";

import { useToastStore, type Toast } from "@/store/toastStore";

import { cn } from "./cn";

const STYLE: Record<Toast["kind"], string> = {
  error:
    "border-red-300 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100",
  success:
    "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-100",
  info: "border-zinc-300 bg-white text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100",
};

/** One toast; dismisses itself after a while (errors stay longer). */
export function ToastItem({ t }: { t: Toast }) {
  const dismiss = useToastStore((s) => s.dismiss);
  useEffect(() => {
    const timer = setTimeout(() => dismiss(t.id), t.kind === "error" ? 8000 : 4000);
    return () => clearTimeout(timer);
  }, [t.id, t.kind, dismiss]);
  return (
    <li
      className={cn(
        "pointer-events-auto flex gap-3 rounded-lg border p-3 text-sm shadow-lg",
        STYLE[t.kind],
      )}
    >
      <div className="min-w-0 flex-1">
        <p className="font-semibold">{t.title}</p>
        {t.detail !== undefined && t.detail !== "" ? (
          <p className="mt-0.5 break-words">{t.detail}</p>
        ) : null}
      </div>
      <button
        type="button"
        onClick={() => dismiss(t.id)}
        aria-label="Dismiss notification"
        className="shrink-0 self-start rounded px-1 opacity-70 hover:opacity-100 focus-visible:outline-2 focus-visible:outline-indigo-500"
      >
        ✕
      </button>
    </li>
  );
}
