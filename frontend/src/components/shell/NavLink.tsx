"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

/**
 * A sidebar link; marked as the current page when the path is under "href". "badge"
 * (a count, shown when above zero) is read out with the link as "badgeLabel".
 */
export function NavLink({
  href,
  icon,
  compact = false,
  badge = 0,
  badgeLabel = "",
  children,
}: {
  href: string;
  icon: ReactNode;
  compact?: boolean;
  badge?: number;
  badgeLabel?: string;
  children: ReactNode;
}) {
  const path = usePathname();
  const current = href === "/" ? path === "/" : path.startsWith(href.replace(/\/$/, ""));
  return (
    <Link
      href={href}
      aria-current={current ? "page" : undefined}
      aria-label={
        badge > 0 && typeof children === "string" ? `${children}, ${badgeLabel}` : undefined
      }
      title={compact && typeof children === "string" ? children : undefined}
      className={`flex items-center gap-2.5 rounded-lg px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-500 ${
        current
          ? "bg-indigo-50 text-indigo-700 dark:bg-indigo-950/60 dark:text-indigo-300"
          : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
      }`}
    >
      <span aria-hidden="true" className="relative grid w-4 shrink-0 place-items-center">
        {icon}
        {compact && badge > 0 ? (
          <span className="absolute -top-1 -right-1.5 size-2 rounded-full bg-violet-600 dark:bg-violet-400" />
        ) : null}
      </span>
      <span className={compact ? "sr-only" : undefined}>{children}</span>
      {badge > 0 && !compact ? (
        <span
          aria-hidden="true"
          className="ml-auto rounded-full bg-violet-600 px-1.5 py-0.5 text-xs leading-none font-semibold text-white tabular-nums dark:bg-violet-500"
        >
          {badge > 99 ? "99+" : badge}
        </span>
      ) : null}
    </Link>
  );
}
