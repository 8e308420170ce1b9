"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";

import { onSessionExpired, ProblemError, useApprovalCount, useMe } from "@/api";

import { HealthIndicator } from "../HealthIndicator";
import { ProblemAlert } from "../ProblemAlert";
import { Skeleton } from "../ui/Skeleton";
import { NavIcon } from "./NavIcon";
import { NavLink } from "./NavLink";
import { ThemeToggle } from "./ThemeToggle";
import { UserMenu } from "./UserMenu";

/** The signed-in frame: sidebar, top bar and the page. Sends signed-out visitors to /login. */
export function AppShell({ children }: { children: ReactNode }) {
  const router = useRouter();
  const path = usePathname();
  const me = useMe();
  const pending = useApprovalCount().data ?? 0;

  useEffect(() => {
    const toLogin = () => {
      const next = `${window.location.pathname}${window.location.search}`;
      router.replace(`/login/?next=${encodeURIComponent(next)}`);
    };
    const off = onSessionExpired(toLogin);
    return () => {
      off();
    };
  }, [router]);

  const unauthorized = me.error instanceof ProblemError && me.error.status === 401;
  useEffect(() => {
    if (unauthorized) {
      router.replace(`/login/?next=${encodeURIComponent(path)}`);
    }
  }, [unauthorized, router, path]);

  const isAdmin = me.data?.role === "admin";
  // Canvas pages need the width: the sidebar shrinks to its icons there.
  const compact = path.startsWith("/workflows/edit") || path.startsWith("/executions/view");

  return (
    <div className="flex min-h-screen">
      <aside
        className={`sticky top-0 flex h-screen shrink-0 flex-col border-r border-zinc-200 bg-white py-4 dark:border-zinc-800 dark:bg-zinc-900 ${
          compact ? "w-14 px-2" : "w-56 px-3"
        }`}
      >
        <Link
          href="/"
          className="mb-6 flex items-center gap-2 rounded-md px-2 font-semibold tracking-tight focus-visible:outline-2 focus-visible:outline-indigo-500"
        >
          <span
            className="grid size-7 place-items-center rounded-lg bg-indigo-600 text-sm font-bold text-white dark:bg-indigo-500"
            aria-hidden="true"
          >
            F
          </span>
          <span className={compact ? "sr-only" : undefined}>Fra-Gent</span>
        </Link>
        <nav aria-label="Main" className="flex flex-1 flex-col gap-1">
          <NavLink href="/" icon={<NavIcon name="dashboard" />} compact={compact}>
            Dashboard
          </NavLink>
          <NavLink href="/workflows/" icon={<NavIcon name="workflows" />} compact={compact}>
            Workflows
          </NavLink>
          <NavLink href="/agents/" icon={<NavIcon name="agents" />} compact={compact}>
            Agents
          </NavLink>
          <NavLink href="/executions/" icon={<NavIcon name="executions" />} compact={compact}>
            Executions
          </NavLink>
          <NavLink
            href="/approvals/"
            icon={<NavIcon name="approvals" />}
            compact={compact}
            badge={pending}
            badgeLabel={`${pending} waiting for you`}
          >
            Approvals
          </NavLink>
          <NavLink href="/credentials/" icon={<NavIcon name="credentials" />} compact={compact}>
            Credentials
          </NavLink>
          <NavLink href="/settings/" icon={<NavIcon name="settings" />} compact={compact}>
            {isAdmin ? "Settings" : "API keys"}
          </NavLink>
        </nav>
        {compact ? null : <HealthIndicator />}
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-30 flex h-14 shrink-0 items-center justify-end gap-2 border-b border-zinc-200 bg-white/80 px-4 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/80">
          <ThemeToggle />
          <UserMenu />
        </header>
        <main id="main" className="min-w-0 flex-1">
          {me.data !== undefined ? (
            children
          ) : me.isError && !unauthorized ? (
            <div className="p-6">
              <ProblemAlert
                error={me.error}
                context="Could not check your session"
                onRetry={() => void me.refetch()}
              />
            </div>
          ) : (
            <div className="space-y-4 p-6" aria-busy="true" aria-label="Loading">
              <Skeleton className="h-8 w-64" />
              <Skeleton className="h-32 w-full" />
              <Skeleton className="h-64 w-full" />
            </div>
          )}
        </main>
      </div>
    </div>
  );
}
