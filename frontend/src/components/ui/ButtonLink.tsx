import Link from "next/link";
import type { ComponentPropsWithRef } from "react";

import { buttonClass, type Size, type Variant } from "./Button";
import { cn } from "./cn";

/** A link that looks like a button (e.g. "New agent", which opens a page). */
export function ButtonLink({
  variant = "primary",
  size = "md",
  className,
  ...rest
}: ComponentPropsWithRef<typeof Link> & { variant?: Variant; size?: Size }) {
  return <Link className={cn(buttonClass(variant, size), className)} {...rest} />;
}
