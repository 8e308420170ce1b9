"use client";

import type { ReactNode } from "react";

import type { PagedList } from "@/api";

import { EmptyState } from "../EmptyState";
import { ProblemAlert } from "../ProblemAlert";
import { SearchInput } from "../SearchInput";
import { Card } from "../ui/Card";
import { cn } from "../ui/cn";
import { Spinner } from "../ui/Spinner";
import { ListFooter } from "./ListFooter";
import { ListSkeleton } from "./ListSkeleton";

export interface ListViewProps<T> {
  /** Accessible name of the list's panel, e.g. "Agent list". */
  label: string;
  list: PagedList<T>;
  /** Singular and plural of what is listed: ["agent", "agents"]. */
  noun: readonly [string, string];
  /** A search box above the list (the routes that take ?q). */
  search?: { label: string; onSearch: (q: string) => void };
  /** Filters beside the search box. */
  filters?: ReactNode;
  /** True while a search or filter narrows the list: an empty answer is then "no match". */
  filtered?: boolean;
  /** An empty list, unfiltered: what it will hold and the first thing to do. */
  empty: { title: string; body: ReactNode; action?: ReactNode };
  /** An empty list, filtered; by default "No <noun> matches" and a hint. */
  noMatch?: { title: string; body: ReactNode };
  /** A heading row inside the panel, above the rows. */
  header?: ReactNode;
  /** Rows of the skeleton shown while the first page loads. */
  skeletonRows?: number;
  /** "card": a panel of its own; "plain": inside another panel (a settings tab). */
  variant?: "card" | "plain";
  /** Show the count and "Load more" under the rows (false: the first page only). */
  paged?: boolean;
  /** The rows: a list or a table of "items". */
  children: (items: T[]) => ReactNode;
}

/**
 * The one list page layout: search and filters, then a panel that shows a
 * skeleton while the first page loads, the error with "Try again", the empty state
 * (with the page's first action), or the rows with their count and "Load more".
 */
export function ListView<T>({
  label,
  list,
  noun,
  search,
  filters,
  filtered = false,
  empty,
  noMatch,
  header,
  skeletonRows = 5,
  variant = "card",
  paged = true,
  children,
}: ListViewProps<T>) {
  const plural = noun[1];
  const shown = list.items.length > 0;
  const body = list.pending ? (
    <ListSkeleton rows={skeletonRows} label={`Loading ${plural}`} />
  ) : list.error !== null && !shown ? (
    <div className="p-4">
      <ProblemAlert error={list.error} context={`Could not load ${plural}`} onRetry={list.retry} />
    </div>
  ) : !shown ? (
    filtered ? (
      <EmptyState title={noMatch?.title ?? `No ${noun[0]} matches`}>
        {noMatch?.body ?? "Try another search or filter."}
      </EmptyState>
    ) : (
      <EmptyState title={empty.title} action={empty.action}>
        {empty.body}
      </EmptyState>
    )
  ) : (
    <>
      <div className={cn("transition-opacity", list.refreshing && "opacity-60")}>
        {children(list.items)}
      </div>
      {list.error !== null ? (
        <div className="border-t border-zinc-200 p-4 dark:border-zinc-800">
          <ProblemAlert
            error={list.error}
            context={
              list.moreFailed ? `Could not load more ${plural}` : `Could not refresh the ${plural}`
            }
            onRetry={list.retry}
          />
        </div>
      ) : null}
      {paged ? <ListFooter list={list} noun={noun} /> : null}
    </>
  );
  const panel = {
    "aria-label": label,
    "aria-busy": list.pending || list.refreshing || undefined,
  };
  return (
    <div className="space-y-4">
      {search !== undefined || filters !== undefined ? (
        <div className="flex flex-wrap items-end gap-3">
          {search !== undefined ? (
            <SearchInput label={search.label} onSearch={search.onSearch} />
          ) : null}
          {filters}
          {list.refreshing ? (
            <span className="flex h-10 items-center gap-2 text-sm text-zinc-500 dark:text-zinc-400">
              <Spinner />
              Updating…
            </span>
          ) : null}
        </div>
      ) : null}
      {variant === "card" ? (
        <Card {...panel}>
          {header}
          {body}
        </Card>
      ) : (
        <section
          {...panel}
          className="overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800"
        >
          {header}
          {body}
        </section>
      )}
    </div>
  );
}
