/** TanStack Query hooks: the only way components read or change server data. */

import {
  experimental_streamedQuery as streamedQuery,
  keepPreviousData,
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";

import type { HookCall } from "@/lib/webhook";

import { clearSession, setSession } from "./auth";
import * as api from "./client";
import { streamExecutionEvents } from "./events";
import { callWebhook } from "./hookCall";
import { PAGE_SIZE, usePagedList, useWholeList } from "./paging";
import { ProblemError } from "./problem";
import type {
  AgentInput,
  ApprovalAnswer,
  CredentialInput,
  ExecutionDelete,
  ExecutionFilters,
  ExecutionStatus,
  JsonObject,
  ModelPriceInput,
  ReplayRequest,
  Role,
  ScheduleCreate,
  SchedulePatch,
  UsageRange,
  UserCreate,
  WebhookCreate,
  WebhookPatch,
  WebhookRotate,
  WorkflowCreate,
  WorkflowDefinition,
  WorkflowExport,
  WorkflowUpdate,
} from "./types";
import { EXECUTION_STATUSES } from "./types";

const ENDED: readonly ExecutionStatus[] = ["succeeded", "failed", "cancelled"];

/** Counts on the dashboard, and the pickers' choices, read at most this many rows. */
export const COUNT_LIMIT = 100;

export const queryKeys = {
  health: ["health"] as const,
  setup: ["auth", "setup"] as const,
  me: ["auth", "me"] as const,
  users: ["users"] as const,
  apiKeys: ["api-keys"] as const,
  agents: ["agents"] as const,
  agent: (id: string) => ["agents", "one", id] as const,
  credentials: ["credentials"] as const,
  workflows: ["workflows"] as const,
  workflow: (id: string) => ["workflows", "one", id] as const,
  workflowVersions: (id: string) => ["workflow-versions", id] as const,
  workflowVersion: (id: string, version: number) => ["workflow-versions", id, version] as const,
  executions: ["executions"] as const,
  execution: (id: string) => ["executions", "one", id] as const,
  executionEvents: (id: string, attempt: number) => ["execution-events", id, attempt] as const,
  executionChildren: (id: string, node: string, status: string, after: number) =>
    ["executions", "children", id, node, status, after] as const,
  replays: (id: string) => ["executions", "replays", id] as const,
  replayDiff: (id: string, progress: string) =>
    ["executions", "replay-diff", id, progress] as const,
  webhooks: (workflowId: string) => ["webhooks", workflowId] as const,
  schedules: (workflowId: string) => ["schedules", workflowId] as const,
  schedulePreview: (cron: string, timezone: string) =>
    ["schedules", "preview", cron, timezone] as const,
  nodeTypes: ["node-types"] as const,
  tools: ["tools"] as const,
  providers: ["providers"] as const,
  settings: ["settings"] as const,
  modelPrices: ["settings", "model-prices"] as const,
  usage: ["usage"] as const,
  approvals: ["approvals"] as const,
  executionApprovals: (id: string) => ["approvals", "execution", id] as const,
};

/** Mutations whose errors the caller shows itself (no toast). */
export const HANDLED = { meta: { handled: true } } as const;

/* ---------------------------------------------------------------- service */

/** Polls GET /health so the header can say whether the API answers. */
export function useHealth() {
  return useQuery({
    queryKey: queryKeys.health,
    queryFn: ({ signal }) => api.getHealth(signal),
    refetchInterval: 30_000,
    retry: false,
  });
}

/* ------------------------------------------------------------------- auth */

export function useSetup() {
  return useQuery({
    queryKey: queryKeys.setup,
    queryFn: ({ signal }) => api.getSetup(signal),
    staleTime: 0,
  });
}

/** The signed-in user (GET /auth/me, refreshing the token first when needed). */
export function useMe() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: ({ signal }) => api.getMe(signal),
    staleTime: 60_000,
    retry: (n, err) => n < 2 && err instanceof ProblemError && err.retryable,
  });
}

/** True when the signed-in user may create, edit, run and delete (not a viewer). */
export function useCanEdit(): boolean {
  const me = useMe();
  return me.data !== undefined && me.data.role !== "viewer";
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    ...HANDLED,
    mutationFn: api.login,
    onSuccess: (auth) => {
      setSession(auth);
      qc.setQueryData(queryKeys.me, auth.user);
    },
  });
}

export function useRegister() {
  const qc = useQueryClient();
  return useMutation({
    ...HANDLED,
    mutationFn: api.register,
    onSuccess: (auth) => {
      setSession(auth);
      qc.setQueryData(queryKeys.me, auth.user);
      qc.setQueryData(queryKeys.setup, { needs_setup: false, open_signup: false });
    },
  });
}

/** POST /auth/logout; the session is dropped even when the server cannot be reached. */
export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    ...HANDLED,
    mutationFn: () => api.logout().catch(() => undefined),
    onSettled: () => {
      clearSession();
      qc.clear();
    },
  });
}

/* ------------------------------------------------------ operator settings */

/** Admins: the operator settings in force (read-only). */
export function useOperatorSettings(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.settings,
    queryFn: ({ signal }) => api.getSettings(signal),
    enabled,
  });
}

/** Admins: what each model costs per million tokens. */
export function useModelPrices(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.modelPrices,
    queryFn: ({ signal }) => api.getModelPrices(signal),
    enabled,
  });
}

/** Admins: replaces the model prices; the usage costs follow. */
export function useSaveModelPrices() {
  const qc = useQueryClient();
  return useMutation({
    ...HANDLED,
    mutationFn: (items: ModelPriceInput[]) => api.putModelPrices(items),
    onSuccess: (items) => {
      qc.setQueryData(queryKeys.modelPrices, items);
      return qc.invalidateQueries({ queryKey: queryKeys.usage });
    },
  });
}

/* ------------------------------------------------------ usage at a glance */

/** Runs per hour by status and p50/p95 durations over "range" (refreshed every minute). */
export function useUsageRuns(range: UsageRange) {
  return useQuery({
    queryKey: [...queryKeys.usage, "runs", range],
    queryFn: ({ signal }) => api.getUsageRuns(range, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}

/** Calls, tokens and estimated cost per model over "range". */
export function useUsageModels(range: UsageRange) {
  return useQuery({
    queryKey: [...queryKeys.usage, "models", range],
    queryFn: ({ signal }) => api.getUsageModels(range, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}

/** The workflows with the most failed runs over "range". */
export function useUsageFailing(range: UsageRange, limit = 5) {
  return useQuery({
    queryKey: [...queryKeys.usage, "failing", range, limit],
    queryFn: ({ signal }) => api.getUsageFailing(range, limit, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}

/* ------------------------------------------------------ users and API keys */

/** The users page by page, "q" matching username or email (admins). */
export function useUserList(q = "") {
  return usePagedList([...queryKeys.users, "list", q], (cursor, signal) =>
    api.listUsers({ q, cursor, limit: PAGE_SIZE }, signal),
  );
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    ...HANDLED,
    mutationFn: (body: UserCreate) => api.createUser(body),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.users }),
  });
}

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...change }: { id: string; role?: Role; disabled?: boolean }) =>
      api.updateUser(id, change),
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.users }),
  });
}

export function useDeleteUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: api.deleteUser,
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.users }),
  });
}

/** The signed-in user's API keys, page by page. */
export function useApiKeyList() {
  return usePagedList([...queryKeys.apiKeys, "list"], (cursor, signal) =>
    api.listApiKeys({ cursor, limit: PAGE_SIZE }, signal),
  );
}

export function useCreateApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: api.createApiKey,
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.apiKeys }),
  });
}

export function useDeleteApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: api.deleteApiKey,
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.apiKeys }),
  });
}

/* ----------------------------------------------------------------- agents */

/** The agents page by page, "q" matching the name. */
export function useAgentList(q = "") {
  return usePagedList([...queryKeys.agents, "list", q], (cursor, signal) =>
    api.listAgents({ q, cursor, limit: PAGE_SIZE }, signal),
  );
}

/** The first COUNT_LIMIT agents: the pickers' choices and the dashboard's count. */
export function useAgents() {
  return useQuery({
    queryKey: [...queryKeys.agents, "first"] as const,
    queryFn: ({ signal }) => api.listAgents({ limit: COUNT_LIMIT }, signal),
  });
}

export function useAgent(id: string | null) {
  return useQuery({
    queryKey: queryKeys.agent(id ?? ""),
    queryFn: ({ signal }) => api.getAgent(id ?? "", signal),
    enabled: id !== null,
  });
}

/** Creates (no id) or updates (id and version) an agent. */
export function useSaveAgent() {
  const qc = useQueryClient();
  return useMutation({
    ...HANDLED,
    mutationFn: ({
      id,
      version,
      input,
    }: {
      id: string | null;
      version: number;
      input: AgentInput;
    }) => (id === null ? api.createAgent(input) : api.updateAgent(id, { ...input, version })),
    onSuccess: (agent) => {
      qc.setQueryData(queryKeys.agent(agent.id), agent);
      return qc.invalidateQueries({ queryKey: [...queryKeys.agents, "list"] });
    },
  });
}

export function useDeleteAgent() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: api.deleteAgent,
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.agents }),
  });
}

/** POST /agents/{id}/chat: resolves with the execution whose events carry the answer. */
export function useAgentChat(agentId: string) {
  return useMutation({
    mutationFn: (body: { message: string; session_id: string }) => api.chatWithAgent(agentId, body),
  });
}

/* ------------------------------------------------------------ credentials */

/** The credentials page by page, "q" matching the name. */
export function useCredentialList(q = "") {
  return usePagedList([...queryKeys.credentials, "list", q], (cursor, signal) =>
    api.listCredentials({ q, cursor, limit: PAGE_SIZE }, signal),
  );
}

/** The first COUNT_LIMIT credentials: the pickers' choices. */
export function useCredentials() {
  return useQuery({
    queryKey: [...queryKeys.credentials, "first"] as const,
    queryFn: ({ signal }) => api.listCredentials({ limit: COUNT_LIMIT }, signal),
  });
}

export function useCreateCredential() {
  const qc = useQueryClient();
  return useMutation({
    ...HANDLED,
    mutationFn: (input: CredentialInput) => api.createCredential(input),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.credentials }),
  });
}

export function useDeleteCredential() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: api.deleteCredential,
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.credentials }),
  });
}

/* -------------------------------------------------------------- workflows */

/** The workflows page by page, "q" matching the name. */
export function useWorkflowList(q = "") {
  return usePagedList(
    [...queryKeys.workflows, "list", q],
    (cursor, signal) => api.listWorkflows({ q, cursor, limit: PAGE_SIZE }, signal),
    { refetchOnMount: "always" },
  );
}

/** The first COUNT_LIMIT workflows: the filters' choices, run names and the dashboard's count. */
export function useWorkflows() {
  return useQuery({
    queryKey: [...queryKeys.workflows, "first"] as const,
    queryFn: ({ signal }) => api.listWorkflows({ limit: COUNT_LIMIT }, signal),
    placeholderData: keepPreviousData,
    refetchOnMount: "always",
  });
}

export function useWorkflow(id: string | null) {
  return useQuery({
    queryKey: queryKeys.workflow(id ?? ""),
    queryFn: ({ signal }) => api.getWorkflow(id ?? "", signal),
    enabled: id !== null && id !== "",
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}

export function useCreateWorkflow() {
  const qc = useQueryClient();
  return useMutation({
    ...HANDLED,
    mutationFn: (input: WorkflowCreate) => api.createWorkflow(input),
    onSuccess: (wf) => {
      qc.setQueryData(queryKeys.workflow(wf.id), wf);
      return qc.invalidateQueries({ queryKey: [...queryKeys.workflows, "list"] });
    },
  });
}

export function useUpdateWorkflow() {
  const qc = useQueryClient();
  return useMutation({
    ...HANDLED,
    mutationFn: ({ id, input }: { id: string; input: WorkflowUpdate }) =>
      api.updateWorkflow(id, input),
    onSuccess: (wf) => {
      qc.setQueryData(queryKeys.workflow(wf.id), wf);
      void qc.invalidateQueries({ queryKey: queryKeys.workflowVersions(wf.id) });
      return qc.invalidateQueries({ queryKey: [...queryKeys.workflows, "list"] });
    },
  });
}

/** The versions kept of workflow "id", loaded while "enabled" (the panel is open). */
export function useWorkflowVersions(id: string | null, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.workflowVersions(id ?? ""),
    queryFn: ({ signal }) => api.listWorkflowVersions(id ?? "", signal),
    enabled: enabled && id !== null && id !== "",
  });
}

/** One version with its definition (versions never change). */
export function useWorkflowVersion(id: string | null, version: number | null) {
  return useQuery({
    queryKey: queryKeys.workflowVersion(id ?? "", version ?? 0),
    queryFn: ({ signal }) => api.getWorkflowVersion(id ?? "", version ?? 0, signal),
    enabled: id !== null && version !== null,
    staleTime: Infinity,
  });
}

export function useRestoreWorkflowVersion() {
  const qc = useQueryClient();
  return useMutation({
    ...HANDLED,
    mutationFn: ({ id, version, current }: { id: string; version: number; current: number }) =>
      api.restoreWorkflowVersion(id, version, current),
    onSuccess: (wf) => {
      qc.setQueryData(queryKeys.workflow(wf.id), wf);
      void qc.invalidateQueries({ queryKey: queryKeys.workflowVersions(wf.id) });
      return qc.invalidateQueries({ queryKey: [...queryKeys.workflows, "list"] });
    },
  });
}

export function useDeleteWorkflow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: api.deleteWorkflow,
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.workflows }),
  });
}

export function useValidateWorkflow() {
  return useMutation({
    ...HANDLED,
    mutationFn: (definition: WorkflowDefinition) => api.validateWorkflow(definition),
  });
}

export function useImportWorkflow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (doc: WorkflowExport) => api.importWorkflow(doc),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.workflows }),
  });
}

/** Loads the latest stored version again (after a 409), replacing the cached one. */
export function useReloadWorkflow() {
  const qc = useQueryClient();
  return (id: string) =>
    qc.fetchQuery({
      queryKey: queryKeys.workflow(id),
      queryFn: () => api.getWorkflow(id),
      staleTime: 0,
    });
}

/* ------------------------------------------------------------- executions */

/** POST /workflows/{id}/executions; resolves with the queued execution. */
export function useStartExecution() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ workflowId, inputs }: { workflowId: string; inputs: JsonObject }) =>
      api.startExecution(workflowId, inputs),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.executions }),
  });
}

/** Pages of GET /executions with the given filters, newest first; kept fresh while shown. */
export function useExecutionList(filters: ExecutionFilters, limit = PAGE_SIZE) {
  return usePagedList(
    [...queryKeys.executions, "list", filters, limit],
    (cursor, signal) => api.listExecutions({ ...filters, cursor, limit }, signal),
    { refetchOnMount: "always", refetchInterval: 10_000 },
  );
}

/** How many executions have each status (at most COUNT_LIMIT each). */
export function useExecutionCounts() {
  return useQueries({
    queries: EXECUTION_STATUSES.map((status: ExecutionStatus) => ({
      queryKey: [...queryKeys.executions, "count", status] as const,
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.listExecutions({ status, limit: COUNT_LIMIT }, signal),
    })),
    combine: (results) => ({
      isPending: results.some((r) => r.isPending),
      error: results.find((r) => r.error !== null)?.error ?? null,
      counts: EXECUTION_STATUSES.map((status, i) => {
        const page = results[i]?.data;
        return {
          status,
          count: page?.items.length ?? 0,
          more: page !== undefined && page.next_cursor !== null,
        };
      }),
    }),
  });
}

/** GET /executions/{id} with steps; polls while "live". */
export function useExecution(executionId: string | null, live = false) {
  return useQuery({
    queryKey: queryKeys.execution(executionId ?? ""),
    queryFn: ({ signal }) => api.getExecution(executionId ?? "", signal),
    enabled: executionId !== null && executionId !== "",
    refetchInterval: live ? 5_000 : false,
  });
}

/**
 * The runs node "node" of execution "executionId" started (a map's items from "after" on,
 * "status" only when given); polls every 2 s while "live".
 */
export function useExecutionChildren(
  executionId: string,
  node: string,
  opts: { status?: ExecutionStatus; after?: number; live: boolean },
) {
  return useQuery({
    queryKey: queryKeys.executionChildren(executionId, node, opts.status ?? "", opts.after ?? -2),
    queryFn: ({ signal }) =>
      api.getExecutionChildren(
        executionId,
        node,
        { after: opts.after, status: opts.status, limit: 50 },
        signal,
      ),
    placeholderData: keepPreviousData,
    refetchInterval: opts.live ? 2_000 : false,
  });
}

/**
 * Streams the events of one execution (attempt "attempt"). data is every event so
 * far, in order; fetchStatus stays "fetching" while the stream is open and the query
 * becomes idle once a terminal event arrived.
 */
export function useExecutionEvents(executionId: string | null, attempt = 1) {
  return useQuery({
    queryKey: queryKeys.executionEvents(executionId ?? "", attempt),
    queryFn: streamedQuery({
      streamFn: ({ signal }) => streamExecutionEvents(executionId ?? "", signal),
    }),
    enabled: executionId !== null && executionId !== "",
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}

export function useCancelExecution() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: api.cancelExecution,
    onSettled: (_d, _e, id) => qc.invalidateQueries({ queryKey: queryKeys.execution(id) }),
  });
}

/** DELETE /executions/{id}; the lists are refreshed and the execution's cache dropped. */
export function useDeleteExecution() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: api.deleteExecution,
    onSuccess: (_d, id) => qc.removeQueries({ queryKey: queryKeys.execution(id) }),
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.executions }),
  });
}

/** POST /executions/delete, again while "more" is true; resolves with how many went. */
export function useDeleteExecutions() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (filters: ExecutionDelete) => {
      let deleted = 0;
      for (let i = 0; i < 100; i++) {
        const r = await api.deleteExecutions(filters);
        deleted += r.deleted;
        if (!r.more || r.deleted === 0) break;
      }
      return deleted;
    },
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.executions }),
  });
}

export function useRetryExecution() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: api.retryExecution,
    onSuccess: (_d, id) => qc.invalidateQueries({ queryKey: queryKeys.execution(id) }),
  });
}

/**
 * POST /executions/{id}/replay; resolves with the queued replay. Its callers show its
 * errors (a dialog's alert, a toast).
 */
export function useReplayExecution() {
  const qc = useQueryClient();
  return useMutation({
    ...HANDLED,
    mutationFn: ({ executionId, body }: { executionId: string; body: ReplayRequest }) =>
      api.replayExecution(executionId, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.executions }),
  });
}

/**
 * The replays of an execution (GET /executions?replay_of=id), newest first, one page;
 * polled while one of them has not ended.
 */
export function useReplays(executionId: string | null) {
  return useQuery({
    queryKey: queryKeys.replays(executionId ?? ""),
    queryFn: ({ signal }) =>
      api.listExecutions({ replay_of: executionId ?? "", limit: PAGE_SIZE }, signal),
    enabled: executionId !== null && executionId !== "",
    refetchOnMount: "always",
    refetchInterval: (q) =>
      q.state.data?.items.some((e) => !ENDED.includes(e.status)) === true ? 3_000 : false,
  });
}

/** GET /executions/{id}/replay-diff of a replay, read again when "progress" changes. */
export function useReplayDiff(replayId: string | null, progress: string) {
  return useQuery({
    queryKey: queryKeys.replayDiff(replayId ?? "", progress),
    queryFn: ({ signal }) => api.getReplayDiff(replayId ?? "", signal),
    enabled: replayId !== null && replayId !== "",
    // The last answer stays while the next one loads, but never another replay's.
    placeholderData: (prev) => (prev?.replay_id === replayId ? prev : undefined),
  });
}

/* -------------------------------------------------------------- approvals */

/** Pages of GET /approvals (pending requests the user may answer); kept fresh while shown. */
export function useApprovalList(limit = PAGE_SIZE) {
  return usePagedList(
    [...queryKeys.approvals, "list", limit],
    (cursor, signal) => api.listApprovals({ cursor, limit }, signal),
    { refetchOnMount: "always", refetchInterval: 15_000 },
  );
}

/** How many requests the user may answer now (the navigation's badge); polled. */
export function useApprovalCount() {
  return useQuery({
    queryKey: [...queryKeys.approvals, "count"],
    queryFn: ({ signal }) => api.countApprovals(signal),
    refetchInterval: 30_000,
    retry: false,
  });
}

/** A run's approval requests (GET /executions/{id}/approvals). */
export function useExecutionApprovals(executionId: string | null) {
  return useQuery({
    queryKey: queryKeys.executionApprovals(executionId ?? ""),
    queryFn: ({ signal }) => api.listExecutionApprovals(executionId ?? "", signal),
    enabled: executionId !== null && executionId !== "",
  });
}

/** Answers a request; the lists, the badge and the run are refreshed. */
export function useAnswerApproval() {
  const qc = useQueryClient();
  return useMutation({
    ...HANDLED,
    mutationFn: ({
      executionId,
      nodeId,
      answer,
    }: {
      executionId: string;
      nodeId: string;
      answer: ApprovalAnswer;
    }) => api.answerApproval(executionId, nodeId, answer),
    onSettled: (_d, _e, v) => {
      void qc.invalidateQueries({ queryKey: queryKeys.approvals });
      void qc.invalidateQueries({ queryKey: queryKeys.execution(v.executionId) });
    },
  });
}

/* --------------------------------------------------------------- triggers */

/** A workflow's webhooks (GET /workflows/{id}/webhooks answers them all at once). */
export function useWebhookList(workflowId: string) {
  return useWholeList(queryKeys.webhooks(workflowId), (signal) =>
    api.listWebhooks(workflowId, signal),
  );
}

/** POST /workflows/{id}/webhooks; resolves with the webhook (and its secret, once). */
export function useCreateWebhook(workflowId: string) {
  const qc = useQueryClient();
  return useMutation({
    ...HANDLED,
    mutationFn: (body: WebhookCreate) => api.createWebhook(workflowId, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.webhooks(workflowId) }),
  });
}

/** PATCH /webhooks/{id}. "handled": the caller shows the errors (a form) instead of a toast. */
export function useUpdateWebhook(workflowId: string, handled = false) {
  const qc = useQueryClient();
  return useMutation({
    meta: { handled },
    mutationFn: ({ id, patch }: { id: string; patch: WebhookPatch }) =>
      api.updateWebhook(id, patch),
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.webhooks(workflowId) }),
  });
}

/** POST /webhooks/{id}/rotate: a new URL, or a new secret (in the answer, once). */
export function useRotateWebhook(workflowId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, what }: { id: string; what: WebhookRotate }) => api.rotateWebhook(id, what),
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.webhooks(workflowId) }),
  });
}

export function useDeleteWebhook(workflowId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: api.deleteWebhook,
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.webhooks(workflowId) }),
  });
}

/**
 * Sends a test request to a webhook's public URL from the browser; resolves with
 * whatever it answered (the runs it starts appear among the executions).
 */
export function useCallWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ path, call }: { path: string; call: HookCall }) => callWebhook(path, call),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.executions }),
  });
}

/** A workflow's schedules with their next fire times. */
export function useScheduleList(workflowId: string) {
  return useWholeList(queryKeys.schedules(workflowId), (signal) =>
    api.listSchedules(workflowId, signal),
  );
}

export function useCreateSchedule(workflowId: string) {
  const qc = useQueryClient();
  return useMutation({
    ...HANDLED,
    mutationFn: (body: ScheduleCreate) => api.createSchedule(workflowId, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.schedules(workflowId) }),
  });
}

/** PATCH /schedules/{id}. "handled": the caller shows the errors (a form) instead of a toast. */
export function useUpdateSchedule(workflowId: string, handled = false) {
  const qc = useQueryClient();
  return useMutation({
    meta: { handled },
    mutationFn: ({ id, patch }: { id: string; patch: SchedulePatch }) =>
      api.updateSchedule(id, patch),
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.schedules(workflowId) }),
  });
}

export function useDeleteSchedule(workflowId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: api.deleteSchedule,
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.schedules(workflowId) }),
  });
}

/**
 * POST /schedules/preview for "cron" in "timezone" (debounce them before): the
 * expression in words and its next five fires; a 422 names "cron" or "timezone". The
 * last answer stays shown while the next one is on its way.
 */
export function useSchedulePreview(cron: string, timezone: string) {
  return useQuery({
    queryKey: queryKeys.schedulePreview(cron, timezone),
    queryFn: ({ signal }) => api.previewSchedule({ cron, timezone }, signal),
    enabled: cron.trim() !== "",
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    retry: false,
  });
}

/* ------------------------------------------------------------- catalogues */

/** GET /node-types: the server's catalogue is the only one (the editor shows an error
 * state when it cannot be read). */
export function useNodeTypes() {
  return useQuery({
    queryKey: queryKeys.nodeTypes,
    queryFn: ({ signal }) => api.listNodeTypes(signal),
    staleTime: Infinity,
  });
}

/** GET /tools; an empty catalogue while the server has no such route (404). */
export function useTools() {
  return useQuery({
    queryKey: queryKeys.tools,
    queryFn: async ({ signal }) => {
      try {
        return await api.listTools(signal);
      } catch (err) {
        if (err instanceof ProblemError && err.status === 404) return [];
        throw err;
      }
    },
    staleTime: Infinity,
  });
}

/** GET /providers: the LLM providers agents may name; the forms' only list of them. */
export function useProviders() {
  return useQuery({
    queryKey: queryKeys.providers,
    queryFn: ({ signal }) => api.listProviders(signal),
    staleTime: Infinity,
  });
}
