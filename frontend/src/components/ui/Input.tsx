import type { ComponentPropsWithRef } from "react";

import { cn } from "./cn";

export const controlClass =
  "w-full rounded-lg border border-zinc-300 bg-white px-3 text-sm text-zinc-900 shadow-sm placeholder:text-zinc-400 focus-visible:border-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-indigo-500/40 disabled:cursor-not-allowed disabled:bg-zinc-100 aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:disabled:bg-zinc-800";

/** A text input in the app's style. */
export function Input({ className, ...rest }: ComponentPropsWithRef<"input">) {
  return <input className={cn(controlClass, "h-9", className)} {...rest} />;
}
