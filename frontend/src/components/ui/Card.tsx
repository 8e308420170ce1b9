import type { ComponentPropsWithRef } from "react";

import { cn } from "./cn";

/** A bordered panel. */
export function Card({ className, ...rest }: ComponentPropsWithRef<"section">) {
  return (
    <section
      className={cn(
        "rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900",
        className,
      )}
      {...rest}
    />
  );
}
