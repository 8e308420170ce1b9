"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";

import { toProblem, useAgent, useCanEdit, useDeleteAgent, useSaveAgent } from "@/api";
import { toast } from "@/store/toastStore";

import { PageHeader } from "../PageHeader";
import { ProblemAlert } from "../ProblemAlert";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { Dialog } from "../ui/Dialog";
import { Skeleton } from "../ui/Skeleton";
import { AgentChat } from "./AgentChat";
import { AgentForm } from "./AgentForm";

/** Create or edit an agent, and chat with it. */
export function AgentEditorPage() {
  const params = useSearchParams();
  const id = params.get("id");
  const router = useRouter();
  const canEdit = useCanEdit();
  const agent = useAgent(id);
  const save = useSaveAgent();
  const del = useDeleteAgent();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [conflict, setConflict] = useState(false);
  const formError = save.error !== null && toProblem(save.error).status !== 409 ? save.error : null;

  return (
    <div className="mx-auto max-w-7xl space-y-6 p-6">
      <PageHeader
        title={id === null ? "New agent" : (agent.data?.name ?? "Agent")}
        description={
          <Link href="/agents/" className="hover:underline">
            ← All agents
          </Link>
        }
        actions={
          canEdit && id !== null ? (
            <Button variant="ghost" onClick={() => setConfirmDelete(true)}>
              Delete agent
            </Button>
          ) : undefined
        }
      />
      {agent.isError ? (
        <ProblemAlert
          error={agent.error}
          context="Could not load the agent"
          onRetry={() => void agent.refetch()}
        />
      ) : id !== null && agent.data === undefined ? (
        <div className="grid gap-6 xl:grid-cols-2" aria-busy="true" aria-label="Loading">
          <Skeleton className="h-[36rem]" />
          <Skeleton className="h-[36rem]" />
        </div>
      ) : (
        <div className="grid items-start gap-6 xl:grid-cols-2">
          <Card className="p-5">
            <AgentForm
              key={`${agent.data?.id ?? "new"}@${agent.data?.version ?? 0}`}
              agent={agent.data ?? null}
              editable={canEdit}
              saving={save.isPending}
              error={formError}
              onSave={(input) =>
                save.mutate(
                  { id, version: agent.data?.version ?? 0, input },
                  {
                    onSuccess: (a) => {
                      toast({
                        kind: "success",
                        title: id === null ? "Agent created" : "Agent saved",
                      });
                      if (id === null)
                        router.replace(`/agents/edit/?id=${encodeURIComponent(a.id)}`);
                    },
                    onError: (err) => {
                      if (toProblem(err).status === 409) setConflict(true);
                    },
                  },
                )
              }
            />
          </Card>
          {id !== null ? (
            <div className="h-[32rem] xl:sticky xl:top-20 xl:h-[calc(100vh-7rem)]">
              <AgentChat agentId={id} canChat={canEdit} />
            </div>
          ) : (
            <Card className="p-5 text-sm text-zinc-600 dark:text-zinc-400">
              Create the agent to chat with it here.
            </Card>
          )}
        </div>
      )}
      <ConfirmDialog
        open={confirmDelete}
        onOpenChange={setConfirmDelete}
        title="Delete agent?"
        description="Workflows that use this agent will fail at its node until you pick another one."
        confirmLabel="Delete"
        busy={del.isPending}
        onConfirm={() => {
          if (id !== null) del.mutate(id, { onSuccess: () => router.replace("/agents/") });
        }}
      />
      <Dialog
        open={conflict}
        onOpenChange={setConflict}
        title="This agent changed elsewhere"
        description="Someone saved it after you opened it. Reload to see their version; your edits here are discarded."
        footer={
          <>
            <Button variant="secondary" onClick={() => setConflict(false)}>
              Keep editing
            </Button>
            <Button
              onClick={() => {
                setConflict(false);
                save.reset();
                void agent.refetch();
              }}
            >
              Reload
            </Button>
          </>
        }
      />
    </div>
  );
}
