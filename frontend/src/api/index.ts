/** Public surface of the API module. */

export * from "./hooks";
export { PAGE_SIZE, type PagedList } from "./paging";
export { isTerminalEvent } from "./events";
export { onSessionExpired } from "./auth";
export { ProblemError, toProblem } from "./problem";
export type * from "./types";
export { TERMINAL_EVENT_TYPES, EXECUTION_STATUSES, NODE_STATUSES, PROVIDERS, ROLES } from "./types";
