"use client";

import { useState, type FormEvent } from "react";

import { toProblem, useRegister } from "@/api";

import { Button } from "../ui/Button";
import { Field } from "../ui/Field";
import { Input } from "../ui/Input";

/** Username, email and password for a new account (the first one becomes the admin). */
export function RegisterForm({ onDone, submitLabel }: { onDone: () => void; submitLabel: string }) {
  const register = useRegister();
  const [username, setUsername] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");

  const submit = (e: FormEvent) => {
    e.preventDefault();
    register.mutate(
      { username: username.trim(), email: email.trim(), password },
      { onSuccess: onDone },
    );
  };
  const p = register.error === null ? null : toProblem(register.error);
  const fieldError = (f: string) => p?.errors.find((x) => x.field === f)?.message;

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Create account">
      <Field
        id="reg-username"
        label="Username"
        hint="Letters, digits, “.”, “_” and “-”."
        error={fieldError("username")}
      >
        <Input
          id="reg-username"
          autoComplete="username"
          required
          pattern="[A-Za-z0-9_.\-]{1,64}"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
      </Field>
      <Field id="reg-email" label="Email" error={fieldError("email")}>
        <Input
          id="reg-email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </Field>
      <Field
        id="reg-password"
        label="Password"
        hint="At least 8 characters."
        error={fieldError("password")}
      >
        <Input
          id="reg-password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </Field>
      {p !== null && p.errors.length === 0 ? (
        <p role="alert" className="text-sm font-medium text-red-600 dark:text-red-400">
          {p.detail || p.title}
        </p>
      ) : null}
      <Button type="submit" className="w-full" loading={register.isPending}>
        {submitLabel}
      </Button>
    </form>
  );
}
