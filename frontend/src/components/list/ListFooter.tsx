"use client";

import { useEffect, useId, useRef } from "react";

import type { PagedList } from "@/api";

import { Button } from "../ui/Button";
import { Spinner } from "../ui/Spinner";

/**
 * Under a list: how many rows are shown and, while the server has more, "Load
 * more". The button keeps focus while the next page loads (it is never disabled);
 * when the last page arrived and the button goes, focus moves to the count.
 */
export function ListFooter<T>({
  list,
  noun,
}: {
  list: PagedList<T>;
  noun: readonly [string, string];
}) {
  const n = list.items.length;
  const status = useRef<HTMLParagraphElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const hadFocus = useRef(false);
  const id = useId();
  const { hasMore } = list;

  useEffect(() => {
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (!hasMore && hadFocus.current && lost) status.current?.focus();
    hadFocus.current = false;
  }, [hasMore]);

  return (
    <div className="flex min-h-12 items-center justify-between gap-4 border-t border-zinc-200 px-4 py-2.5 dark:border-zinc-800">
      <p
        id={id}
        ref={status}
        tabIndex={-1}
        aria-live="polite"
        className="text-sm text-zinc-500 tabular-nums outline-none dark:text-zinc-400"
      >
        {n} {n === 1 ? noun[0] : noun[1]}
        {hasMore ? " shown, more to load" : ""}
      </p>
      {hasMore ? (
        <Button
          ref={button}
          variant="secondary"
          size="sm"
          aria-disabled={list.loadingMore || undefined}
          aria-describedby={id}
          onClick={() => {
            hadFocus.current = document.activeElement === button.current;
            list.loadMore();
          }}
        >
          {list.loadingMore ? <Spinner /> : null}
          {list.loadingMore ? "Loading…" : "Load more"}
        </Button>
      ) : null}
    </div>
  );
}
