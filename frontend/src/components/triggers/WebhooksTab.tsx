"use client";

import { useState } from "react";

import {
  useDeleteWebhook,
  useRotateWebhook,
  useUpdateWebhook,
  useWebhookList,
  type Webhook,
} from "@/api";
import { toast } from "@/store/toastStore";

import { ListView } from "../list/ListView";
import { LIST } from "../list/styles";
import { Button } from "../ui/Button";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { OneTimeSecret } from "./OneTimeSecret";
import { SubviewHeader } from "./SubviewHeader";
import { WebhookForm } from "./WebhookForm";
import { webhookName, WebhookRow, type WebhookAction } from "./WebhookRow";
import { WebhookTest } from "./WebhookTest";

/** A secret the API has just shown, for the webhook it belongs to. */
export interface FreshSecret {
  hookId: string;
  name: string;
  secret: string;
}

type View =
  | { kind: "list" }
  | { kind: "new" }
  | { kind: "edit"; hook: Webhook }
  | { kind: "test"; hook: Webhook };

type Pending = { kind: "rotate-url" | "rotate-secret" | "delete"; hook: Webhook };

const CONFIRM: Record<
  Pending["kind"],
  { title: string; body: string; label: string; danger: boolean }
> = {
  "rotate-url": {
    title: "Make a new URL?",
    body: "The current URL stops working at once: callers need the new one.",
    label: "Rotate URL",
    danger: false,
  },
  "rotate-secret": {
    title: "Make a new secret?",
    body: "The current secret stops working at once. The new one is shown once.",
    label: "Rotate secret",
    danger: false,
  },
  delete: {
    title: "Delete this webhook?",
    body: "Its URL stops working. The runs it started stay.",
    label: "Delete",
    danger: true,
  },
};

/**
 * A workflow's webhooks: the list (URL, modes, enabled), a form to add or change one,
 * the test request, and the one-time display of a new secret. "secrets" are those this
 * page saw made (to prefill the test request); "onSecret" records a new one.
 */
export function WebhooksTab({
  workflowId,
  canEdit,
  origin,
  secrets,
  fresh,
  onSecret,
  onFreshDone,
}: {
  workflowId: string;
  canEdit: boolean;
  origin: string;
  secrets: Readonly<Record<string, string>>;
  fresh: FreshSecret | null;
  onSecret: (s: FreshSecret) => void;
  onFreshDone: () => void;
}) {
  const list = useWebhookList(workflowId);
  const toggle = useUpdateWebhook(workflowId);
  const rotate = useRotateWebhook(workflowId);
  const del = useDeleteWebhook(workflowId);
  const [view, setView] = useState<View>({ kind: "list" });
  const [pending, setPending] = useState<Pending | null>(null);
  const back = () => setView({ kind: "list" });

  const saved = (hook: Webhook) => {
    if (hook.secret !== undefined) {
      onSecret({ hookId: hook.id, name: webhookName(hook), secret: hook.secret });
    }
    toast({ kind: "success", title: view.kind === "new" ? "Webhook added" : "Webhook saved" });
    back();
  };

  const confirm = () => {
    if (pending === null) return;
    const { kind, hook } = pending;
    const done = () => setPending(null);
    if (kind === "delete") {
      del.mutate(hook.id, { onSuccess: done });
      return;
    }
    rotate.mutate(
      { id: hook.id, what: kind === "rotate-url" ? { token: true } : { secret: true } },
      {
        onSuccess: (h) => {
          done();
          if (h.secret !== undefined) {
            onSecret({ hookId: h.id, name: webhookName(h), secret: h.secret });
          } else {
            toast({
              kind: "success",
              title: "New URL made",
              detail: "The old one no longer works.",
            });
          }
        },
      },
    );
  };

  const act = (hook: Webhook, action: WebhookAction) => {
    if (action === "edit" || action === "test") setView({ kind: action, hook });
    else setPending({ kind: action, hook });
  };

  if (view.kind === "new" || view.kind === "edit") {
    const hook = view.kind === "edit" ? view.hook : null;
    return (
      <div>
        <SubviewHeader
          title={hook === null ? "New webhook" : `Edit “${webhookName(hook)}”`}
          backLabel="Webhooks"
          onBack={back}
        />
        <WebhookForm workflowId={workflowId} hook={hook} onSaved={saved} onCancel={back} />
      </div>
    );
  }
  if (view.kind === "test") {
    // The row may have changed since (a rotation): test the webhook as listed now.
    const hook = list.items.find((h) => h.id === view.hook.id) ?? view.hook;
    return (
      <div>
        <SubviewHeader
          title={`Send a test request to “${webhookName(hook)}”`}
          backLabel="Webhooks"
          onBack={back}
        />
        <WebhookTest hook={hook} knownSecret={secrets[hook.id]} origin={origin} />
      </div>
    );
  }

  const c = pending !== null ? CONFIRM[pending.kind] : null;
  return (
    <div className="space-y-4">
      <div className="flex items-start justify-between gap-4">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A webhook is a URL that starts a run of this workflow when something calls it; the run’s
          input holds the request’s method, headers, query and body.
        </p>
        {canEdit ? (
          <Button size="sm" onClick={() => setView({ kind: "new" })}>
            Add webhook
          </Button>
        ) : null}
      </div>
      {fresh !== null ? (
        <OneTimeSecret name={fresh.name} secret={fresh.secret} onDone={onFreshDone} />
      ) : null}
      <ListView
        label="Webhook list"
        list={list}
        noun={["webhook", "webhooks"]}
        variant="plain"
        paged={false}
        skeletonRows={2}
        empty={{
          title: "No webhooks yet",
          body: canEdit
            ? "Add one to start this workflow from another service (GitHub, Stripe, a form…)."
            : "Webhooks that editors add to this workflow are listed here.",
        }}
      >
        {(items) => (
          <ul className={LIST}>
            {items.map((h) => (
              <WebhookRow
                key={h.id}
                hook={h}
                origin={origin}
                canEdit={canEdit}
                toggling={toggle.isPending && toggle.variables?.id === h.id}
                onToggle={(enabled) => toggle.mutate({ id: h.id, patch: { enabled } })}
                onAction={(a) => act(h, a)}
              />
            ))}
          </ul>
        )}
      </ListView>
      <ConfirmDialog
        open={pending !== null}
        onOpenChange={(o) => {
          if (!o) setPending(null);
        }}
        title={c?.title ?? ""}
        description={
          pending !== null ? (
            <>
              <strong className="font-medium">{webhookName(pending.hook)}</strong>: {c?.body}
            </>
          ) : (
            ""
          )
        }
        confirmLabel={c?.label ?? ""}
        danger={c?.danger ?? true}
        busy={rotate.isPending || del.isPending}
        onConfirm={confirm}
      />
    </div>
  );
}
