import Link from "next/link";

import type { HookAnswer } from "@/api";
import { executionIdOf, interestingHeaders, prettyBody } from "@/lib/webhook";

import { cn } from "../ui/cn";

function tone(status: number): string {
  if (status >= 200 && status < 300)
    return "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950/60 dark:text-emerald-200 dark:ring-emerald-800";
  if (status >= 400 && status < 500)
    return "bg-amber-50 text-amber-800 ring-amber-300 dark:bg-amber-950/60 dark:text-amber-200 dark:ring-amber-800";
  return "bg-red-50 text-red-800 ring-red-300 dark:bg-red-950/60 dark:text-red-200 dark:ring-red-800";
}

/** A webhook's answer to a test request: status, the headers worth seeing, the body. */
export function HookAnswerView({ answer }: { answer: HookAnswer }) {
  const headers = interestingHeaders(answer.headers);
  const ctype = headers.find(([k]) => k === "content-type")?.[1] ?? "";
  const execId =
    executionIdOf(answer.body) ??
    headers.find(([k]) => k === "x-fragent-execution-id")?.[1] ??
    null;
  return (
    <section
      aria-label="Answer"
      className="space-y-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
    >
      <div className="flex flex-wrap items-center gap-3">
        <h3 className="text-sm font-semibold">Answer</h3>
        <span
          role="status"
          className={cn(
            "inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold tabular-nums ring-1 ring-inset",
            tone(answer.status),
          )}
        >
          {answer.status} {answer.statusText}
        </span>
        <span className="text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
          {answer.ms} ms
        </span>
        {execId !== null ? (
          <Link
            href={`/executions/view/?id=${encodeURIComponent(execId)}`}
            className="ml-auto text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400"
          >
            Open execution
          </Link>
        ) : null}
      </div>
      {headers.length > 0 ? (
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-xs">
          {headers.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="font-mono text-zinc-500 dark:text-zinc-400">{k}</dt>
              <dd className="min-w-0 font-mono break-all">{v}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <pre
        tabIndex={0}
        aria-label="Answer body"
        className="max-h-72 overflow-auto rounded-md bg-zinc-100 p-3 font-mono text-xs text-zinc-800 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:bg-zinc-800/70 dark:text-zinc-100"
      >
        {answer.body === "" ? "(empty body)" : prettyBody(answer.body, ctype)}
      </pre>
    </section>
  );
}
