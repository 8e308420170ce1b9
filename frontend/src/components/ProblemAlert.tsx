import { toProblem } from "@/api";

import { Button } from "./ui/Button";

export interface ProblemAlertProps {
  /** Whatever was thrown; problem+json errors show their title, detail and field errors. */
  error: unknown;
  /** Heading shown above the problem's own title, e.g. "Could not load workflows". */
  context?: string;
  onRetry?: () => void;
  retryLabel?: string;
}

/** An error message box, announced to screen readers when it appears. */
export function ProblemAlert({
  error,
  context,
  onRetry,
  retryLabel = "Try again",
}: ProblemAlertProps) {
  const p = toProblem(error);
  const status = p.status > 0 ? ` (${p.status})` : "";
  return (
    <div
      role="alert"
      className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-100"
    >
      <div className="flex items-start gap-3">
        <svg
          className="mt-0.5 size-5 shrink-0 text-red-600 dark:text-red-400"
          viewBox="0 0 20 20"
          fill="currentColor"
          aria-hidden="true"
        >
          <path
            fillRule="evenodd"
            d="M18 10a8 8 0 1 1-16 0 8 8 0 0 1 16 0Zm-8-5a.75.75 0 0 1 .75.75v4.5a.75.75 0 0 1-1.5 0v-4.5A.75.75 0 0 1 10 5Zm0 10a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z"
            clipRule="evenodd"
          />
        </svg>
        <div className="min-w-0 flex-1 space-y-1">
          <p className="font-semibold">
            {context ?? p.title}
            {context === undefined ? status : null}
          </p>
          {context !== undefined ? (
            <p className="font-medium">
              {p.title}
              {status}
            </p>
          ) : null}
          {p.detail !== "" ? <p className="break-words">{p.detail}</p> : null}
          {p.errors.length > 0 ? (
            <ul className="list-disc space-y-0.5 pl-5">
              {p.errors.map((e, i) => (
                <li key={`${e.field}-${i}`}>
                  {e.field !== "" ? <code className="font-mono text-xs">{e.field}</code> : null}
                  {e.field !== "" ? ": " : null}
                  {e.message}
                </li>
              ))}
            </ul>
          ) : null}
          {onRetry !== undefined ? (
            <div className="pt-2">
              <Button variant="secondary" size="sm" onClick={onRetry}>
                {retryLabel}
              </Button>
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
}
