"use client";

import { useHealth } from "@/api";

/** A dot and a word saying whether the API answers GET /health. */
export function HealthIndicator() {
  const health = useHealth();
  let dot = "bg-zinc-400";
  let label = "Checking API…";
  if (health.isSuccess && health.data.status === "ok") {
    dot = "bg-emerald-500";
    label = "API online";
  } else if (health.isError || health.isSuccess) {
    dot = "bg-red-500";
    label = "API unreachable";
  }
  return (
    <p className="flex items-center gap-2 text-xs font-medium text-zinc-600 dark:text-zinc-400">
      <span className={`size-2 rounded-full ${dot}`} aria-hidden="true" />
      {label}
    </p>
  );
}
