"use client";

import Link from "next/link";

import type { UsageFailing } from "@/api";

import { LIST, ROW, ROW_LINK, ROW_NOTE } from "../list/styles";

/** The workflows with the most failed runs, each linking to its failed executions. */
export function FailingWorkflows({ data }: { data: UsageFailing }) {
  return (
    <ol className={LIST} aria-label="Top failing workflows">
      {data.items.map((w) => (
        <li key={w.workflow_id} className={ROW}>
          <div className="min-w-0 flex-1">
            {w.name === null ? (
              <span className="text-zinc-500 italic dark:text-zinc-400">deleted workflow</span>
            ) : (
              <Link
                href={`/workflows/edit/?id=${encodeURIComponent(w.workflow_id)}`}
                className={ROW_LINK}
              >
                {w.name}
              </Link>
            )}
            <p className={ROW_NOTE}>
              {Math.round(w.failure_rate * 100)} % of {w.runs} {w.runs === 1 ? "run" : "runs"}{" "}
              failed
            </p>
          </div>
          <Link
            href={`/executions/?status=failed&workflow_id=${encodeURIComponent(w.workflow_id)}`}
            className={`${ROW_LINK} text-sm text-red-700 tabular-nums dark:text-red-400`}
            aria-label={`${w.failed} failed runs of ${w.name ?? "a deleted workflow"}: show them`}
          >
            {w.failed} failed
          </Link>
        </li>
      ))}
    </ol>
  );
}
