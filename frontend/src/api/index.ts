/** Public surface of the API module. */

export * from "./hooks";
export { isTerminalEvent } from "./events";
export { ProblemError, toProblem } from "./problem";
export type * from "./types";
export { TERMINAL_EVENT_TYPES, EXECUTION_STATUSES } from "./types";
