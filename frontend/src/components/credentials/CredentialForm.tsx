"use client";

import { useState, type FormEvent } from "react";

import { toProblem, useCreateCredential, useProviders } from "@/api";
import { toast } from "@/store/toastStore";

import { Button } from "../ui/Button";
import { Field } from "../ui/Field";
import { Input } from "../ui/Input";
import { Select } from "../ui/Select";

/* A credential for something other than a model (the LLM providers come from GET /providers). */
const OTHER = { value: "http", label: "HTTP (other services)" };

/** Adds a credential; the secret is sent once and never shown again. */
export function CredentialForm() {
  const create = useCreateCredential();
  const [name, setName] = useState("");
  const providers = useProviders().data ?? [];
  const [chosen, setProvider] = useState<string | null>(null);
  const provider = chosen ?? providers[0]?.name ?? "";
  // What the chosen provider does with the secret (its descriptor's credential member).
  const field = providers.find((x) => x.name === provider)?.credential[0];
  const about = field === undefined ? "" : `${field.title}: ${field.description} `;
  const [secret, setSecret] = useState("");
  const p = create.error === null ? null : toProblem(create.error);
  const fieldError = (f: string) => p?.errors.find((e) => e.field === f)?.message;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { name: name.trim(), provider, secret },
      {
        onSuccess: (c) => {
          setName("");
          setSecret("");
          toast({ kind: "success", title: `Credential “${c.name}” saved` });
        },
      },
    );
  };

  return (
    <form
      onSubmit={submit}
      aria-label="New credential"
      className="grid items-start gap-4 md:grid-cols-[1fr_12rem_1fr_auto]"
    >
      <Field id="cred-name" label="Name" error={fieldError("name")}>
        <Input id="cred-name" required value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field id="cred-provider" label="Provider" error={fieldError("provider")}>
        <Select
          id="cred-provider"
          value={provider}
          onChange={setProvider}
          options={[...providers.map((x) => ({ value: x.name, label: x.title })), OTHER]}
        />
      </Field>
      <Field
        id="cred-secret"
        label="Secret"
        hint={`${about}Encrypted at rest; never shown again.`}
        error={fieldError("secret")}
      >
        <Input
          id="cred-secret"
          type="password"
          autoComplete="off"
          required
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
        />
      </Field>
      <Button
        type="submit"
        loading={create.isPending}
        disabled={provider === ""}
        className="md:mt-6.5"
      >
        Add credential
      </Button>
      {p !== null && p.errors.length === 0 ? (
        <p
          role="alert"
          className="text-sm font-medium text-red-600 md:col-span-4 dark:text-red-400"
        >
          {p.detail || p.title}
        </p>
      ) : null}
    </form>
  );
}
