"use client";

import Link from "next/link";
import { useState } from "react";

import { useAgents, useCanEdit } from "@/api";
import { formatDateTime } from "@/lib/format";

import { EmptyState } from "../EmptyState";
import { TableSkeleton } from "../executions/TableSkeleton";
import { PageHeader } from "../PageHeader";
import { ProblemAlert } from "../ProblemAlert";
import { SearchInput } from "../SearchInput";
import { Card } from "../ui/Card";

/** The agents, searchable; each opens its editor and chat. */
export function AgentsPage() {
  const [q, setQ] = useState("");
  const list = useAgents(q);
  const canEdit = useCanEdit();
  return (
    <div className="mx-auto max-w-6xl space-y-6 p-6">
      <PageHeader
        title="Agents"
        description="An LLM with a system prompt, tools and memory. Use agents in workflows or chat with them."
        actions={
          canEdit ? (
            <Link
              href="/agents/edit/"
              className="inline-flex h-10 items-center rounded-lg bg-indigo-600 px-4 text-sm font-medium text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:bg-indigo-500"
            >
              New agent
            </Link>
          ) : undefined
        }
      />
      <SearchInput label="Search agents" onSearch={setQ} />
      <Card aria-label="Agent list">
        {list.isPending ? (
          <TableSkeleton />
        ) : list.isError ? (
          <div className="p-4">
            <ProblemAlert
              error={list.error}
              context="Could not load agents"
              onRetry={() => void list.refetch()}
            />
          </div>
        ) : list.data.items.length === 0 ? (
          <EmptyState title={q === "" ? "No agents yet" : "No agent matches"}>
            {q !== ""
              ? "Try another name."
              : canEdit
                ? "Add a credential with your provider's API key first, then press New agent to pick a model and write its system prompt."
                : "Agents that editors share with you appear here."}
          </EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {list.data.items.map((a) => (
              <li key={a.id} className="flex items-center gap-4 px-4 py-3">
                <div className="min-w-0 flex-1">
                  <Link
                    href={`/agents/edit/?id=${encodeURIComponent(a.id)}`}
                    className="font-medium hover:underline"
                  >
                    {a.name}
                  </Link>
                  <p className="truncate text-sm text-zinc-600 dark:text-zinc-400">
                    {a.configuration.provider} · {a.configuration.model}
                    {a.description ? ` · ${a.description}` : ""}
                  </p>
                </div>
                <span className="text-xs text-zinc-500 dark:text-zinc-400">
                  updated {formatDateTime(a.updated_at)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
