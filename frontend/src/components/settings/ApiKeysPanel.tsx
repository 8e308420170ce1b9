"use client";

import { useState, type FormEvent } from "react";

import { useApiKeys, useCreateApiKey, useDeleteApiKey, type CreatedApiKey } from "@/api";
import { formatDateTime } from "@/lib/format";

import { EmptyState } from "../EmptyState";
import { TableSkeleton } from "../executions/TableSkeleton";
import { ProblemAlert } from "../ProblemAlert";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field } from "../ui/Field";
import { Input } from "../ui/Input";

/** The user's API keys for REST clients: create (shown once), list, revoke. */
export function ApiKeysPanel() {
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const del = useDeleteApiKey();
  const [name, setName] = useState("");
  const [fresh, setFresh] = useState<CreatedApiKey | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(name.trim(), {
      onSuccess: (k) => {
        setFresh(k);
        setName("");
      },
    });
  };

  return (
    <div className="space-y-4">
      <form onSubmit={submit} aria-label="New API key" className="flex items-end gap-3">
        <div className="w-72">
          <Field id="key-name" label="Key name">
            <Input
              id="key-name"
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="CI pipeline"
            />
          </Field>
        </div>
        <Button type="submit" loading={create.isPending}>
          Create key
        </Button>
      </form>
      {keys.isPending ? (
        <TableSkeleton rows={2} />
      ) : keys.isError ? (
        <ProblemAlert
          error={keys.error}
          context="Could not load API keys"
          onRetry={() => void keys.refetch()}
        />
      ) : keys.data.length === 0 ? (
        <EmptyState title="No API keys">
          REST clients authenticate with{" "}
          <code className="font-mono">Authorization: Bearer fgk_…</code>. Create a key to get one.
        </EmptyState>
      ) : (
        <table className="w-full text-left text-sm" aria-label="API keys">
          <thead className="border-b border-zinc-200 text-xs text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">
                Name
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Key
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Created
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Last used
              </th>
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {keys.data.map((k) => (
              <tr key={k.id}>
                <td className="px-3 py-2 font-medium">{k.name}</td>
                <td className="px-3 py-2 font-mono text-xs">{k.prefix}…</td>
                <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400">
                  {formatDateTime(k.created_at)}
                </td>
                <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400">
                  {k.last_used_at ? formatDateTime(k.last_used_at) : "Never"}
                </td>
                <td className="px-3 py-2 text-right">
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-label={`Revoke ${k.name}`}
                    onClick={() => del.mutate(k.id)}
                  >
                    Revoke
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Dialog
        open={fresh !== null}
        onOpenChange={(o) => {
          if (!o) setFresh(null);
        }}
        title="Copy your new API key"
        description="This is the only time the whole key is shown. Store it somewhere safe."
        footer={<Button onClick={() => setFresh(null)}>Done</Button>}
      >
        <Input
          readOnly
          aria-label="New API key"
          value={fresh?.key ?? ""}
          className="font-mono"
          onFocus={(e) => e.target.select()}
        />
        <Button
          variant="secondary"
          size="sm"
          className="mt-2"
          onClick={() => void navigator.clipboard?.writeText(fresh?.key ?? "")}
        >
          Copy to clipboard
        </Button>
      </Dialog>
    </div>
  );
}
