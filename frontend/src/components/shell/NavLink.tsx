"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

/** A sidebar link; marked as the current page when the path is under "href". */
export function NavLink({
  href,
  icon,
  compact = false,
  children,
}: {
  href: string;
  icon: ReactNode;
  compact?: boolean;
  children: ReactNode;
}) {
  const path = usePathname();
  const current = href === "/" ? path === "/" : path.startsWith(href.replace(/\/$/, ""));
  return (
    <Link
      href={href}
      aria-current={current ? "page" : undefined}
      title={compact && typeof children === "string" ? children : undefined}
      className={`flex items-center gap-2.5 rounded-lg px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-500 ${
        current
          ? "bg-indigo-50 text-indigo-700 dark:bg-indigo-950/60 dark:text-indigo-300"
          : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
      }`}
    >
      <span aria-hidden="true" className="grid w-4 shrink-0 place-items-center">
        {icon}
      </span>
      <span className={compact ? "sr-only" : undefined}>{children}</span>
    </Link>
  );
}
