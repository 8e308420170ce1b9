"use client";

import { useState, type FormEvent } from "react";

import { useApiKeyList, useCreateApiKey, useDeleteApiKey, type CreatedApiKey } from "@/api";
import { formatDateTime } from "@/lib/format";

import { ListView } from "../list/ListView";
import { CELL } from "../list/styles";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field } from "../ui/Field";
import { Input } from "../ui/Input";
import { Table } from "../ui/Table";

/** The user's API keys for REST clients: create (shown once), list, revoke. */
export function ApiKeysPanel() {
  const keys = useApiKeyList();
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
      <ListView
        label="API key list"
        list={keys}
        noun={["API key", "API keys"]}
        variant="plain"
        skeletonRows={2}
        empty={{
          title: "No API keys",
          body: (
            <>
              REST clients authenticate with{" "}
              <code className="font-mono">Authorization: Bearer fgk_…</code>. Create a key to get
              one.
            </>
          ),
        }}
      >
        {(items) => (
          <Table label="API keys" columns={["Name", "Key", "Created", "Last used", ""]}>
            {items.map((k) => (
              <tr key={k.id}>
                <td className={`${CELL} font-medium`}>{k.name}</td>
                <td className={`${CELL} font-mono text-xs`}>{k.prefix}…</td>
                <td className={`${CELL} text-zinc-600 dark:text-zinc-400`}>
                  {formatDateTime(k.created_at)}
                </td>
                <td className={`${CELL} text-zinc-600 dark:text-zinc-400`}>
                  {k.last_used_at ? formatDateTime(k.last_used_at) : "Never"}
                </td>
                <td className={`${CELL} text-right`}>
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-label={`Revoke ${k.name}`}
                    loading={del.isPending && del.variables === k.id}
                    onClick={() => del.mutate(k.id)}
                  >
                    Revoke
                  </Button>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </ListView>
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
