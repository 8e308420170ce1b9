"use client";

import Link from "next/link";
import { useMemo, useState, type FormEvent } from "react";

import { useCallWebhook, type Webhook } from "@/api";
import { curlCommand, hookUrl, methodTakesBody, type HookMethod } from "@/lib/webhook";

import { ProblemAlert } from "../ProblemAlert";
import { Button } from "../ui/Button";
import { CopyButton } from "../ui/CopyButton";
import { Field } from "../ui/Field";
import { Input } from "../ui/Input";
import { Select } from "../ui/Select";
import { Textarea } from "../ui/Textarea";
import { HookAnswerView } from "./HookAnswerView";

const SAMPLE_BODY = '{\n  "name": "Ada"\n}';

/**
 * "Send a test request": calls the webhook from the browser with a method, a JSON
 * body and (modes secret and hmac) the secret, then shows the answer; the same
 * request as a curl command, to copy.
 */
export function WebhookTest({
  hook,
  knownSecret,
  origin,
}: {
  hook: Webhook;
  /** The secret, when this page saw it made. */
  knownSecret: string | undefined;
  origin: string;
}) {
  const send = useCallWebhook();
  const [method, setMethod] = useState<HookMethod>(
    hook.methods.includes("POST") ? "POST" : (hook.methods[0] ?? "POST"),
  );
  const [body, setBody] = useState(SAMPLE_BODY);
  const [secret, setSecret] = useState(knownSecret ?? "");
  const [error, setError] = useState("");
  const hasBody = methodTakesBody(method);
  const needsSecret = hook.auth_mode !== "none";
  const url = hookUrl(origin, hook.path);
  const call = useMemo(
    () => ({ method, body: hasBody ? body : "", authMode: hook.auth_mode, secret }),
    [method, hasBody, body, hook.auth_mode, secret],
  );
  const curl = useMemo(() => curlCommand(url, call), [url, call]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (hasBody && body.trim() !== "") {
      try {
        JSON.parse(body);
      } catch {
        setError("This is not valid JSON.");
        return;
      }
    }
    if (needsSecret && secret === "") return;
    setError("");
    send.mutate({ path: hook.path, call });
  };

  return (
    <div className="space-y-5">
      <form onSubmit={submit} aria-label="Test request" className="space-y-4" noValidate>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Calls <code className="font-mono text-xs break-all">{url}</code> from this browser, as an
          outside client would. It starts a real run of the workflow.
        </p>
        <div className="grid gap-4 sm:grid-cols-[10rem_1fr]">
          <Field id="test-method" label="Method">
            <Select
              id="test-method"
              value={method}
              onChange={(v) => setMethod(v as HookMethod)}
              options={hook.methods.map((m) => ({ value: m, label: m }))}
            />
          </Field>
          {needsSecret ? (
            <Field
              id="test-secret"
              label="Secret"
              hint={
                knownSecret !== undefined
                  ? "Filled in from when it was made."
                  : "Paste the secret shown when it was made (or rotate it for a new one)."
              }
            >
              <Input
                id="test-secret"
                type="password"
                autoComplete="off"
                spellCheck={false}
                value={secret}
                onChange={(e) => setSecret(e.target.value)}
                placeholder="whs_…"
                className="font-mono text-xs"
              />
            </Field>
          ) : null}
        </div>
        <Field
          id="test-body"
          label="Body (JSON)"
          hint={hasBody ? "The run’s input gets it as body." : "GET requests have no body."}
          error={error}
        >
          <Textarea
            id="test-body"
            mono
            rows={5}
            value={hasBody ? body : ""}
            disabled={!hasBody}
            spellCheck={false}
            onChange={(e) => setBody(e.target.value)}
            aria-invalid={error !== "" || undefined}
          />
        </Field>
        <div className="flex items-center justify-end gap-3">
          {needsSecret && secret === "" ? (
            <span className="text-xs text-zinc-500 dark:text-zinc-400">
              Enter the secret to send.
            </span>
          ) : null}
          <Button type="submit" loading={send.isPending} disabled={needsSecret && secret === ""}>
            Send request
          </Button>
        </div>
      </form>
      {send.isError ? <ProblemAlert error={send.error} context="The request failed" /> : null}
      {send.data !== undefined ? <HookAnswerView answer={send.data} /> : null}
      <section aria-label="curl command" className="space-y-2">
        <div className="flex items-center justify-between gap-3">
          <h3 className="text-sm font-semibold">The same request with curl</h3>
          <CopyButton text={curl} label="Copy command" />
        </div>
        <pre
          tabIndex={0}
          aria-label="curl command text"
          className="overflow-x-auto rounded-md bg-zinc-100 p-3 font-mono text-xs text-zinc-800 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:bg-zinc-800/70 dark:text-zinc-100"
        >
          {curl}
        </pre>
      </section>
      {send.data !== undefined ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          Runs started by webhooks are listed under{" "}
          <Link
            href="/executions/?trigger=webhook"
            className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
          >
            Executions › Webhook
          </Link>
          .
        </p>
      ) : null}
    </div>
  );
}
