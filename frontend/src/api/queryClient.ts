/** The app's QueryClient: retry only what may succeed next time; toast failed actions. */

import { MutationCache, QueryClient } from "@tanstack/react-query";

import { toast } from "@/store/toastStore";

import { ProblemError, toProblem } from "./problem";

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
      },
      mutations: { retry: false },
    },
  });
}
