/**
 * The app's QueryClient: retry only what may succeed next time, no sooner than the server
 * asks; toast failed actions.
 */

import { MutationCache, QueryClient } from "@tanstack/react-query";

import { toast } from "@/store/toastStore";

import { ProblemError, retryDelayMs, toProblem } from "./problem";

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    mutationCache: new MutationCache({
      onError: (err, _vars, _ctx, mutation) => {
        if (mutation.meta?.handled === true) return;
        const p = toProblem(err);
        toast({ kind: "error", title: p.title, detail: p.detail });
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        retry: (failureCount, error) =>
          failureCount < 2 && error instanceof ProblemError && error.retryable,
        // React Query's own back-off, lengthened to a 429's or 503's Retry-After.
        retryDelay: (failureCount, error) => retryDelayMs(failureCount + 1, error, 1_000, 30_000),
      },
      mutations: { retry: false },
    },
  });
}
