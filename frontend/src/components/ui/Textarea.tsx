import type { ComponentPropsWithRef } from "react";

import { cn } from "./cn";
import { controlClass } from "./Input";

/** A multi-line text input; "mono" for code (templates, jq, JSON). */
export function Textarea({
  className,
  mono = false,
  ...rest
}: ComponentPropsWithRef<"textarea"> & { mono?: boolean }) {
  return (
    <textarea
      className={cn(controlClass, "min-h-20 py-2", mono && "font-mono text-xs", className)}
      {...rest}
    />
  );
}
