/** One paging hook for every list route: pages of {items, next_cursor}, "load more". */

import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";

import type { Page } from "./types";

/** Rows a list page asks for at a time (the API's own default). */
export const PAGE_SIZE = 50;

/** What a list shows: the rows loaded so far and what can be done next. */
export interface PagedList<T> {
  /** Every row of the pages loaded so far, in the server's order. */
  items: T[];
  /** True until the first page arrived (nothing to show yet). */
  pending: boolean;
  /** The last failure; with items, it is the failure of a refresh or of "load more". */
  error: Error | null;
  /** True while other rows than those shown are on their way (a new search or filter). */
  refreshing: boolean;
  /** A next page exists. */
  hasMore: boolean;
  /** The next page is being fetched. */
  loadingMore: boolean;
  /** The last failure was that of fetching the next page. */
  moreFailed: boolean;
  loadMore: () => void;
  /** Tries again what failed: the next page, or the list. */
  retry: () => void;
}

export interface PagedListOptions {
  enabled?: boolean;
  refetchInterval?: number;
  refetchOnMount?: boolean | "always";
}

/**
 * Pages of one list route under "queryKey". "fetchPage" fetches the page that
 * starts at "cursor" (null: the first). A change of key (a new search) keeps the
 * old rows on screen, marked refreshing, until the new first page arrives.
 */
export function usePagedList<T>(
  queryKey: readonly unknown[],
  fetchPage: (cursor: string | null, signal: AbortSignal) => Promise<Page<T>>,
  options: PagedListOptions = {},
): PagedList<T> {
  const q = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => fetchPage(pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
    ...options,
  });
  const { data, fetchNextPage, refetch, isFetchNextPageError } = q;
  const items = useMemo(() => data?.pages.flatMap((p) => p.items) ?? [], [data]);
  return {
    items,
    pending: q.isPending,
    error: q.error,
    refreshing: q.isPlaceholderData,
    hasMore: q.hasNextPage,
    loadingMore: q.isFetchingNextPage,
    moreFailed: isFetchNextPageError,
    loadMore: () => {
      if (!q.isFetchingNextPage) void fetchNextPage();
    },
    retry: () => void (isFetchNextPageError ? fetchNextPage() : refetch()),
  };
}

/**
 * A list route that answers every row at once ({"items": [...]}, such as a
 * workflow's webhooks and schedules) in the shape ListView reads: no "Load more".
 */
export function useWholeList<T>(
  queryKey: readonly unknown[],
  fetchAll: (signal: AbortSignal) => Promise<T[]>,
  options: { enabled?: boolean } = {},
): PagedList<T> {
  const q = useQuery({
    queryKey,
    queryFn: ({ signal }) => fetchAll(signal),
    ...options,
  });
  const { data, refetch } = q;
  const items = useMemo(() => data ?? [], [data]);
  return {
    items,
    pending: q.isPending,
    error: q.error,
    refreshing: false,
    hasMore: false,
    loadingMore: false,
    moreFailed: false,
    loadMore: () => undefined,
    retry: () => void refetch(),
  };
}
