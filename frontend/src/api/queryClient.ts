/** The app's QueryClient settings: retry only what may succeed next time. */

import { QueryClient } from "@tanstack/react-query";

import { ProblemError } from "./problem";

export function makeQueryClient(): QueryClient {
  return new QueryClient({
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
