"use client";

import * as LabelPrimitive from "@radix-ui/react-label";
import type { ComponentPropsWithRef } from "react";

import { cn } from "./cn";

/** A form label (Radix Label). */
export function Label({ className, ...rest }: ComponentPropsWithRef<typeof LabelPrimitive.Root>) {
  return (
    <LabelPrimitive.Root
      className={cn("text-sm font-medium text-zinc-800 dark:text-zinc-200", className)}
      {...rest}
    />
  );
}
