"use client";

import { useState } from "react";

import { useCanEdit, useCredentialList, useDeleteCredential, type Credential } from "@/api";
import { formatDateTime } from "@/lib/format";

import { ListView } from "../list/ListView";
import { CELL } from "../list/styles";
import { PageHeader } from "../PageHeader";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { Table } from "../ui/Table";
import { CredentialForm } from "./CredentialForm";

/** API keys of providers, stored encrypted: add, list (masked, searchable), delete. */
export function CredentialsPage() {
  const [q, setQ] = useState("");
  const list = useCredentialList(q);
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
      <ListView
        label="Credential list"
        list={list}
        noun={["credential", "credentials"]}
        search={{ label: "Search credentials", onSearch: setQ }}
        filtered={q !== ""}
        noMatch={{ title: "No credential matches", body: "Try another name." }}
        skeletonRows={3}
        empty={{
          title: "No credentials yet",
          body: canEdit
            ? "Add your LLM provider's API key above; agents pick it by name."
            : "Credentials that editors add are listed here, masked.",
        }}
      >
        {(items) => (
          <Table label="Credentials" columns={["Name", "Provider", "Secret", "Added", ""]}>
            {items.map((c) => (
              <tr key={c.id}>
                <td className={`${CELL} font-medium`}>{c.name}</td>
                <td className={CELL}>{c.provider}</td>
                <td className={`${CELL} font-mono text-xs`}>{c.hint || "••••"}</td>
                <td className={`${CELL} text-zinc-600 dark:text-zinc-400`}>
                  {formatDateTime(c.created_at)}
                </td>
                <td className={`${CELL} text-right`}>
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
          </Table>
        )}
      </ListView>
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
