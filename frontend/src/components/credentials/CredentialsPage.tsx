"use client";

import { useState } from "react";

import { useCanEdit, useCredentials, useDeleteCredential, type Credential } from "@/api";
import { formatDateTime } from "@/lib/format";

import { EmptyState } from "../EmptyState";
import { TableSkeleton } from "../executions/TableSkeleton";
import { PageHeader } from "../PageHeader";
import { ProblemAlert } from "../ProblemAlert";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { CredentialForm } from "./CredentialForm";

/** API keys of providers, stored encrypted: add, list (masked), delete. */
export function CredentialsPage() {
  const list = useCredentials();
  const canEdit = useCanEdit();
  const del = useDeleteCredential();
  const [doomed, setDoomed] = useState<Credential | null>(null);
  return (
    <div className="mx-auto max-w-6xl space-y-6 p-6">
      <PageHeader
        title="Credentials"
        description="Secrets your agents and HTTP nodes use. Only a short hint is ever shown."
      />
      {canEdit ? (
        <Card className="p-5">
          <CredentialForm />
        </Card>
      ) : null}
      <Card aria-label="Credential list">
        {list.isPending ? (
          <TableSkeleton rows={3} />
        ) : list.isError ? (
          <div className="p-4">
            <ProblemAlert
              error={list.error}
              context="Could not load credentials"
              onRetry={() => void list.refetch()}
            />
          </div>
        ) : list.data.items.length === 0 ? (
          <EmptyState title="No credentials yet">
            Add your LLM provider&apos;s API key above; agents pick it by name.
          </EmptyState>
        ) : (
          <table className="w-full text-left text-sm" aria-label="Credentials">
            <thead className="border-b border-zinc-200 text-xs text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Name
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Provider
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Secret
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Added
                </th>
                <th scope="col" className="px-4 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {list.data.items.map((c) => (
                <tr key={c.id}>
                  <td className="px-4 py-2.5 font-medium">{c.name}</td>
                  <td className="px-4 py-2.5">{c.provider}</td>
                  <td className="px-4 py-2.5 font-mono text-xs">{c.hint || "••••"}</td>
                  <td className="px-4 py-2.5 text-zinc-600 dark:text-zinc-400">
                    {formatDateTime(c.created_at)}
                  </td>
                  <td className="px-4 py-2.5 text-right">
                    {canEdit ? (
                      <Button
                        variant="ghost"
                        size="sm"
                        onClick={() => setDoomed(c)}
                        aria-label={`Delete ${c.name}`}
                      >
                        Delete
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <ConfirmDialog
        open={doomed !== null}
        onOpenChange={(o) => {
          if (!o) setDoomed(null);
        }}
        title="Delete credential?"
        description={`Agents that use “${doomed?.name ?? ""}” will fail until they get another one.`}
        confirmLabel="Delete"
        busy={del.isPending}
        onConfirm={() => {
          if (doomed !== null) del.mutate(doomed.id, { onSettled: () => setDoomed(null) });
        }}
      />
    </div>
  );
}
