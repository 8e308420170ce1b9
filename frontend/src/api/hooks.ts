/** TanStack Query hooks: the only way components read or change server data. */

import {
  experimental_streamedQuery as streamedQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";

import { createWorkflow, getExecution, getHealth, listWorkflows, startExecution } from "./client";
import { streamExecutionEvents } from "./events";
import type { JsonObject, WorkflowCreate } from "./types";

const WORKFLOW_PAGE_SIZE = 50;

export const queryKeys = {
  health: ["health"] as const,
  workflows: ["workflows"] as const,
  execution: (id: string) => ["execution", id] as const,
  executionEvents: (id: string) => ["execution-events", id] as const,
};

/** Polls GET /health so the header can say whether the API answers. */
export function useHealth() {
  return useQuery({
    queryKey: queryKeys.health,
    queryFn: ({ signal }) => getHealth(signal),
    refetchInterval: 30_000,
    retry: false,
  });
}

/** The first page of workflows (GET /workflows?limit=50). */
export function useWorkflows() {
  return useQuery({
    queryKey: queryKeys.workflows,
    queryFn: ({ signal }) => listWorkflows(WORKFLOW_PAGE_SIZE, signal),
  });
}

/** POST /workflows; refreshes the list on success. */
export function useCreateWorkflow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: WorkflowCreate) => createWorkflow(input),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.workflows }),
  });
}

/** POST /workflows/{id}/executions; resolves with the queued execution. */
export function useStartExecution() {
  return useMutation({
    mutationFn: ({ workflowId, inputs }: { workflowId: string; inputs: JsonObject }) =>
      startExecution(workflowId, inputs),
  });
}

/**
 * Streams the events of one execution. data is every event so far, in order;
 * fetchStatus stays "fetching" while the stream is open and the query becomes
 * idle once a terminal event arrived. refetch() replays from the start.
 */
export function useExecutionEvents(executionId: string) {
  return useQuery({
    queryKey: queryKeys.executionEvents(executionId),
    queryFn: streamedQuery({
      streamFn: ({ signal }) => streamExecutionEvents(executionId, signal),
    }),
    staleTime: Infinity,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}

/**
 * GET /executions/{id} with steps, fetched only while "enabled". "ended" says a
 * terminal event was seen; it is part of the key, so the execution is fetched
 * afresh for its results even if an earlier fetch (made when the event stream
 * failed) is in the cache.
 */
export function useExecution(executionId: string, opts: { enabled: boolean; ended: boolean }) {
  return useQuery({
    queryKey: [...queryKeys.execution(executionId), opts.ended ? "ended" : "live"] as const,
    queryFn: ({ signal }) => getExecution(executionId, signal),
    enabled: opts.enabled,
  });
}
