"use client";

import Link from "next/link";

import { useApprovalList, useMe } from "@/api";

import { ListView } from "../list/ListView";
import { PageHeader } from "../PageHeader";
import { ApprovalCard } from "./ApprovalCard";

/** The approval requests waiting for the signed-in user, newest first. */
export function ApprovalsPage() {
  const list = useApprovalList();
  const me = useMe();

  return (
    <div className="mx-auto max-w-4xl space-y-6 p-6">
      <PageHeader
        title="Approvals"
        description="Runs paused until you approve or reject them. Your comment becomes part of the approval node's output."
      />
      <ListView
        label="Approvals waiting for you"
        list={list}
        noun={["approval", "approvals"]}
        skeletonRows={3}
        empty={{
          title: "Nothing to approve",
          body: "When a run reaches an approval node that asks you (or your role), it waits here.",
        }}
      >
        {(items) => (
          <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {items.map((a) => (
              <li key={`${a.execution_id}/${a.node_id}`} className="space-y-2 p-4">
                <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
                  <span className="font-medium">
                    {a.workflow_name ?? "Deleted workflow"}
                    {a.owner_name ? (
                      <span className="font-normal text-zinc-600 dark:text-zinc-400">
                        {" "}
                        · run by {a.owner_name}
                      </span>
                    ) : null}
                  </span>
                  {me.data?.role === "admin" || me.data?.id === a.owner_id ? (
                    <Link
                      href={`/executions/view/?id=${encodeURIComponent(a.execution_id)}`}
                      className="rounded text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-indigo-300"
                    >
                      Open run
                    </Link>
                  ) : null}
                </div>
                <ApprovalCard approval={a} title={`${a.node_id} — ${a.workflow_name ?? "run"}`} />
              </li>
            ))}
          </ul>
        )}
      </ListView>
    </div>
  );
}
