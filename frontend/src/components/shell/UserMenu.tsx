"use client";

import { useRouter } from "next/navigation";

import { useLogout, useMe } from "@/api";

import { DropdownMenu } from "../ui/DropdownMenu";

/** The signed-in user's name and role, with Sign out. */
export function UserMenu() {
  const me = useMe();
  const logout = useLogout();
  const router = useRouter();
  const user = me.data;
  if (user === undefined) return <span className="h-8 w-24" aria-hidden="true" />;
  return (
    <DropdownMenu
      header={
        <>
          Signed in as{" "}
          <strong className="font-medium text-zinc-900 dark:text-zinc-100">{user.username}</strong>{" "}
          ({user.role})
        </>
      }
      trigger={
        <button
          type="button"
          aria-label={`Account: ${user.username}`}
          className="flex h-8 items-center gap-2 rounded-lg px-2 text-sm font-medium hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-zinc-800"
        >
          <span
            aria-hidden="true"
            className="grid size-6 place-items-center rounded-full bg-indigo-100 text-xs font-semibold text-indigo-700 uppercase dark:bg-indigo-900 dark:text-indigo-200"
          >
            {user.username.slice(0, 1)}
          </span>
          {user.username}
        </button>
      }
      items={[
        {
          label: "Sign out",
          onSelect: () => logout.mutate(undefined, { onSettled: () => router.replace("/login/") }),
        },
      ]}
    />
  );
}
