"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";

import { useSetup } from "@/api";

import { ProblemAlert } from "../ProblemAlert";
import { ThemeToggle } from "../shell/ThemeToggle";
import { Skeleton } from "../ui/Skeleton";
import { LoginForm } from "./LoginForm";
import { RegisterForm } from "./RegisterForm";
import { safeNext } from "./safeNext";

/** Sign in; on a fresh install, create the admin account instead. */
export function LoginPage() {
  const router = useRouter();
  const params = useSearchParams();
  const setup = useSetup();
  const [signup, setSignup] = useState(false);
  const done = () => router.replace(safeNext(params.get("next")));

  const firstRun = setup.data?.needs_setup === true;
  const registering = firstRun || signup;
  const title = firstRun
    ? "Welcome to Fra-Gent"
    : registering
      ? "Create an account"
      : "Sign in to Fra-Gent";

  return (
    <main id="main" className="relative grid min-h-screen place-items-center px-4 py-10">
      <div className="absolute top-4 right-4">
        <ThemeToggle />
      </div>
      <div className="w-full max-w-sm">
        <div className="mb-6 flex flex-col items-center text-center">
          <span
            className="grid size-10 place-items-center rounded-xl bg-indigo-600 text-lg font-bold text-white dark:bg-indigo-500"
            aria-hidden="true"
          >
            F
          </span>
          <h1 className="mt-4 text-xl font-semibold tracking-tight">{title}</h1>
          {firstRun ? (
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              Create the administrator account. You can invite others from Settings later.
            </p>
          ) : null}
        </div>
        <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          {setup.isPending ? (
            <div className="space-y-4" aria-busy="true" aria-label="Loading">
              <Skeleton className="h-14" />
              <Skeleton className="h-14" />
              <Skeleton className="h-10" />
            </div>
          ) : setup.isError ? (
            <ProblemAlert
              error={setup.error}
              context="Could not reach the server"
              onRetry={() => void setup.refetch()}
            />
          ) : registering ? (
            <RegisterForm
              onDone={done}
              submitLabel={firstRun ? "Create admin account" : "Create account"}
            />
          ) : (
            <LoginForm onDone={done} />
          )}
        </div>
        {setup.data?.open_signup === true && !firstRun ? (
          <p className="mt-4 text-center text-sm text-zinc-600 dark:text-zinc-400">
            <button
              type="button"
              className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
              onClick={() => setSignup((s) => !s)}
            >
              {signup ? "I already have an account" : "Create an account"}
            </button>
          </p>
        ) : null}
      </div>
    </main>
  );
}
