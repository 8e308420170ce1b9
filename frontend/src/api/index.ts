/** Public surface of the API module. */

export * from "./hooks";
export { PAGE_SIZE, type PagedList } from "./paging";
export type { HookAnswer } from "./hookCall";
export { isTerminalEvent } from "./events";
export { onSessionExpired } from "./auth";
export { ProblemError, toProblem } from "./problem";
export type * from "./types";
export {
  TERMINAL_EVENT_TYPES,
  EXECUTION_STATUSES,
  EXECUTION_TRIGGERS,
  NODE_STATUSES,
  PROVIDERS,
  REPLAY_SOURCES,
  ROLES,
  SCHEDULE_MISSED,
  USAGE_RANGES,
  WEBHOOK_AUTH_MODES,
  WEBHOOK_METHODS,
  WEBHOOK_RESPONSE_MODES,
} from "./types";
