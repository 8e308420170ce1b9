"use client";

import Link from "next/link";
import { useState } from "react";

import { useAgentList, useCanEdit } from "@/api";
import { formatDateTime } from "@/lib/format";

import { ListView } from "../list/ListView";
import { LIST, ROW, ROW_LINK, ROW_NOTE } from "../list/styles";
import { PageHeader } from "../PageHeader";
import { ButtonLink } from "../ui/ButtonLink";

/** The agents, searchable, page by page; each opens its editor and chat. */
export function AgentsPage() {
  const [q, setQ] = useState("");
  const list = useAgentList(q);
  const canEdit = useCanEdit();
  return (
    <div className="mx-auto max-w-6xl space-y-6 p-6">
      <PageHeader
        title="Agents"
        description="An LLM with a system prompt, tools and memory. Use agents in workflows or chat with them."
        actions={canEdit ? <ButtonLink href="/agents/edit/">New agent</ButtonLink> : undefined}
      />
      <ListView
        label="Agent list"
        list={list}
        noun={["agent", "agents"]}
        search={{ label: "Search agents", onSearch: setQ }}
        filtered={q !== ""}
        noMatch={{ title: "No agent matches", body: "Try another name." }}
        empty={{
          title: "No agents yet",
          body: canEdit
            ? "Add a credential with your provider's API key first, then create an agent: pick a model and write its system prompt."
            : "Agents that editors share with you appear here.",
          action: canEdit ? (
            <ButtonLink href="/agents/edit/" variant="secondary" size="sm">
              Create your first agent
            </ButtonLink>
          ) : undefined,
        }}
      >
        {(items) => (
          <ul className={LIST}>
            {items.map((a) => (
              <li key={a.id} className={ROW}>
                <div className="min-w-0 flex-1">
                  <Link href={`/agents/edit/?id=${encodeURIComponent(a.id)}`} className={ROW_LINK}>
                    {a.name}
                  </Link>
                  <p className={ROW_NOTE}>
                    {a.configuration.provider} · {a.configuration.model}
                    {a.description ? ` · ${a.description}` : ""}
                  </p>
                </div>
                <span className="shrink-0 text-xs text-zinc-500 dark:text-zinc-400">
                  updated {formatDateTime(a.updated_at)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </ListView>
    </div>
  );
}
