"use client";

import { useToastStore } from "@/store/toastStore";

import { ToastItem } from "./ToastItem";

/** Shows the toasts of the toast store, bottom right, announced politely. */
export function Toaster() {
  const toasts = useToastStore((s) => s.toasts);
  return (
    <section
      aria-label="Notifications"
      aria-live="polite"
      className="pointer-events-none fixed bottom-4 left-1/2 z-50 w-96 max-w-[calc(100vw-2rem)] -translate-x-1/2"
    >
      <ol className="flex flex-col gap-2">
        {toasts.map((t) => (
          <ToastItem key={t.id} t={t} />
        ))}
      </ol>
    </section>
  );
}
