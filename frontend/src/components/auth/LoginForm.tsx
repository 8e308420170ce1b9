"use client";

import { useState, type FormEvent } from "react";

import { ProblemError, toProblem, useLogin } from "@/api";

import { Button } from "../ui/Button";
import { Field } from "../ui/Field";
import { Input } from "../ui/Input";

/** Username (or email) and password; calls onDone after a successful sign-in. */
export function LoginForm({ onDone }: { onDone: () => void }) {
  const login = useLogin();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ username: username.trim(), password }, { onSuccess: onDone });
  };
  const err = login.error;
  const message =
    err === null
      ? ""
      : err instanceof ProblemError && err.status === 401
        ? "Wrong username or password."
        : toProblem(err).detail || toProblem(err).title;

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Sign in">
      <Field id="login-username" label="Username or email">
        <Input
          id="login-username"
          autoComplete="username"
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
      </Field>
      <Field id="login-password" label="Password">
        <Input
          id="login-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </Field>
      {message !== "" ? (
        <p role="alert" className="text-sm font-medium text-red-600 dark:text-red-400">
          {message}
        </p>
      ) : null}
      <Button type="submit" className="w-full" loading={login.isPending}>
        Sign in
      </Button>
    </form>
  );
}
