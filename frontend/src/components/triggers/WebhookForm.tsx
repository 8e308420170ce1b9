"use client";

import { useState, type FormEvent } from "react";

import {
  useCreateWebhook,
  useUpdateWebhook,
  WEBHOOK_METHODS,
  type Webhook,
  type WebhookAuthMode,
  type WebhookCreate,
  type WebhookMethod,
  type WebhookResponseMode,
} from "@/api";

import { Checkbox } from "../ui/Checkbox";
import { Field } from "../ui/Field";
import { Input } from "../ui/Input";
import { Label } from "../ui/Label";
import { RadioCards } from "../ui/RadioCards";
import { fieldErrors } from "./fieldErrors";
import { AUTH_OPTIONS, RESPONSE_OPTIONS } from "./labels";
import { EnabledSwitch, FormActions, SecondsField } from "./TriggerFormParts";

/* The API's bounds (shared/webhook.h). */
const TIMEOUT_S = { min: 0.1, max: 120 };
const REPLAY_S = { min: 10, max: 3600 };
/* The fields whose errors show beside them. */
const SHOWN = ["name", "methods", "timeout_ms", "replay_window_s"] as const;

/**
 * Adds a webhook to workflow "workflowId", or changes "hook": name, methods, how
 * callers authenticate, how it answers (and, when it waits, for how long), enabled.
 * "onSaved" gets the answer, which holds the new secret when one was made.
 */
export function WebhookForm({
  workflowId,
  hook,
  onSaved,
  onCancel,
}: {
  workflowId: string;
  hook: Webhook | null;
  onSaved: (saved: Webhook) => void;
  onCancel: () => void;
}) {
  const create = useCreateWebhook(workflowId);
  const update = useUpdateWebhook(workflowId, true);
  const [name, setName] = useState(hook?.name ?? "");
  const [methods, setMethods] = useState<WebhookMethod[]>(hook?.methods ?? ["POST"]);
  const [auth, setAuth] = useState<WebhookAuthMode>(hook?.auth_mode ?? "none");
  const [response, setResponse] = useState<WebhookResponseMode>(hook?.response_mode ?? "async");
  const [timeout, setTimeoutS] = useState(String((hook?.timeout_ms ?? 30_000) / 1000));
  const [replay, setReplay] = useState(String(hook?.replay_window_s ?? 300));
  const [enabled, setEnabled] = useState(hook?.enabled ?? true);
  const [local, setLocal] = useState<Record<string, string>>({});
  const busy = create.isPending || update.isPending;
  const error = hook === null ? create.error : update.error;
  const errors = { ...fieldErrors(error), ...local };

  const toggle = (m: WebhookMethod, on: boolean) =>
    setMethods((cur) => WEBHOOK_METHODS.filter((x) => (x === m ? on : cur.includes(x))));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const bad: Record<string, string> = {};
    const t = Number(timeout);
    const r = Number(replay);
    if (methods.length === 0) bad.methods = "Choose at least one method.";
    if (response === "sync" && !(t >= TIMEOUT_S.min && t <= TIMEOUT_S.max))
      bad.timeout_ms = `Between ${TIMEOUT_S.min} and ${TIMEOUT_S.max} seconds.`;
    if (auth === "hmac" && !(Number.isInteger(r) && r >= REPLAY_S.min && r <= REPLAY_S.max))
      bad.replay_window_s = `A whole number of seconds from ${REPLAY_S.min} to ${REPLAY_S.max}.`;
    setLocal(bad);
    if (Object.keys(bad).length > 0) return;
    const body: WebhookCreate = {
      name: name.trim(),
      methods,
      auth_mode: auth,
      response_mode: response,
      enabled,
      ...(response === "sync" ? { timeout_ms: Math.round(t * 1000) } : {}),
      ...(auth === "hmac" ? { replay_window_s: r } : {}),
    };
    if (hook === null) create.mutate(body, { onSuccess: onSaved });
    else update.mutate({ id: hook.id, patch: body }, { onSuccess: onSaved });
  };

  const secretNote =
    hook === null
      ? auth !== "none"
        ? "A secret is made when you save, and shown once."
        : undefined
      : hook.auth_mode === "none" && auth !== "none"
        ? "A new secret is made when you save, and shown once."
        : hook.auth_mode !== "none" && auth === "none"
          ? "Saving deletes the secret: anyone with the URL can call it."
          : undefined;

  return (
    <form
      onSubmit={submit}
      aria-label={hook === null ? "New webhook" : "Edit webhook"}
      className="space-y-5"
      noValidate
    >
      <Field
        id="hook-name"
        label="Name"
        hint="What calls it, e.g. “GitHub push”."
        error={errors.name}
      >
        <Input
          id="hook-name"
          value={name}
          maxLength={200}
          onChange={(e) => setName(e.target.value)}
          placeholder="GitHub push"
          aria-invalid={errors.name !== undefined || undefined}
        />
      </Field>
      <fieldset aria-describedby={errors.methods ? "hook-methods-error" : undefined}>
        <legend className="mb-1.5 text-sm font-medium text-zinc-800 dark:text-zinc-200">
          Methods
        </legend>
        <div className="flex flex-wrap gap-x-5 gap-y-2">
          {WEBHOOK_METHODS.map((m) => (
            <div key={m} className="flex items-center gap-2">
              <Checkbox
                id={`hook-method-${m}`}
                checked={methods.includes(m)}
                onCheckedChange={(on) => toggle(m, on)}
              />
              <Label htmlFor={`hook-method-${m}`} className="font-mono text-xs">
                {m}
              </Label>
            </div>
          ))}
        </div>
        {errors.methods !== undefined ? (
          <p
            id="hook-methods-error"
            className="mt-1.5 text-xs font-medium text-red-600 dark:text-red-400"
          >
            {errors.methods}
          </p>
        ) : null}
      </fieldset>
      <div className="space-y-2">
        <RadioCards
          name="hook-auth"
          legend="Authentication"
          value={auth}
          onChange={setAuth}
          options={AUTH_OPTIONS}
        />
        {secretNote !== undefined ? (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">{secretNote}</p>
        ) : null}
      </div>
      {auth === "hmac" ? (
        <SecondsField
          id="hook-replay"
          label="Replay window (seconds)"
          hint="How far a request’s timestamp may be from now; a signature is accepted once within it."
          error={errors.replay_window_s}
          bounds={REPLAY_S}
          step={1}
          value={replay}
          onChange={setReplay}
        />
      ) : null}
      <RadioCards
        name="hook-response"
        legend="Answer"
        value={response}
        onChange={setResponse}
        options={RESPONSE_OPTIONS}
        columns={2}
      />
      {response === "sync" ? (
        <SecondsField
          id="hook-timeout"
          label="Time limit (seconds)"
          hint="A run still going after it is answered 202 with its execution id."
          error={errors.timeout_ms}
          bounds={TIMEOUT_S}
          step={0.1}
          value={timeout}
          onChange={setTimeoutS}
        />
      ) : null}
      <EnabledSwitch
        id="hook-enabled"
        checked={enabled}
        onChange={setEnabled}
        on="Calls start runs."
        off="Calls are answered 410 Gone."
      />
      <FormActions
        error={error}
        shown={SHOWN}
        context="Could not save the webhook"
        onCancel={onCancel}
        busy={busy}
        submitLabel={hook === null ? "Create webhook" : "Save webhook"}
      />
    </form>
  );
}
