"use client";

import { useState, type FormEvent } from "react";

import {
  ROLES,
  toProblem,
  useCreateUser,
  useDeleteUser,
  useMe,
  useUpdateUser,
  useUserList,
  type Role,
  type User,
} from "@/api";
import { formatDateTime } from "@/lib/format";

import { ListView } from "../list/ListView";
import { CELL } from "../list/styles";
import { Button } from "../ui/Button";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { Field } from "../ui/Field";
import { Input } from "../ui/Input";
import { Select } from "../ui/Select";
import { Table } from "../ui/Table";

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: r[0]?.toUpperCase() + r.slice(1) }));
const asRole = (v: string): Role =>
  (ROLES as readonly string[]).includes(v) ? (v as Role) : "viewer";

/** Admins: every user with their role and state; add, change role, disable or enable,
 * delete. A change reaches the user's next request (and ends its open event streams). */
export function UsersPanel() {
  const me = useMe();
  const [q, setQ] = useState("");
  const users = useUserList(q);
  const create = useCreateUser();
  const update = useUpdateUser();
  const del = useDeleteUser();
  const [form, setForm] = useState({
    username: "",
    email: "",
    password: "",
    role: "viewer" as Role,
  });
  const [doomed, setDoomed] = useState<User | null>(null);
  const p = create.error === null ? null : toProblem(create.error);
  const updateProblem = update.error === null ? null : toProblem(update.error);
  const fieldError = (f: string) => p?.errors.find((e) => e.field === f)?.message;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(form, {
      onSuccess: () => setForm({ username: "", email: "", password: "", role: "viewer" }),
    });
  };

  return (
    <div className="space-y-6">
      <form
        onSubmit={submit}
        aria-label="New user"
        className="grid items-start gap-3 md:grid-cols-[1fr_1fr_1fr_9rem_auto]"
      >
        <Field id="user-username" label="Username" error={fieldError("username")}>
          <Input
            id="user-username"
            required
            value={form.username}
            onChange={(e) => setForm({ ...form, username: e.target.value })}
          />
        </Field>
        <Field id="user-email" label="Email" error={fieldError("email")}>
          <Input
            id="user-email"
            type="email"
            required
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
        </Field>
        <Field id="user-password" label="Password" error={fieldError("password")}>
          <Input
            id="user-password"
            type="password"
            autoComplete="new-password"
            minLength={8}
            required
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
        </Field>
        <Field id="user-role" label="Role">
          <Select
            id="user-role"
            value={form.role}
            onChange={(v) => setForm({ ...form, role: asRole(v) })}
            options={ROLE_OPTIONS}
          />
        </Field>
        <Button type="submit" loading={create.isPending} className="md:mt-6.5">
          Add user
        </Button>
        {p !== null && p.errors.length === 0 ? (
          <p
            role="alert"
            className="text-sm font-medium text-red-600 md:col-span-5 dark:text-red-400"
          >
            {p.detail || p.title}
          </p>
        ) : null}
      </form>
      <ListView
        label="User list"
        list={users}
        noun={["user", "users"]}
        variant="plain"
        skeletonRows={3}
        search={{ label: "Search users", onSearch: setQ }}
        filtered={q !== ""}
        noMatch={{ title: "No user matches", body: "Try another username or email." }}
        empty={{ title: "No users", body: "Add the first one with the form above." }}
      >
        {(items) => (
          <Table label="Users" columns={["User", "Email", "Role", "Status", "Since", ""]}>
            {items.map((u) => (
              <tr key={u.id} className={u.disabled ? "text-zinc-400 dark:text-zinc-500" : ""}>
                <td className={`${CELL} font-medium`}>
                  {u.username}
                  {u.id === me.data?.id ? (
                    <span className="ml-1 text-xs text-zinc-500">(you)</span>
                  ) : null}
                </td>
                <td className={CELL}>{u.email}</td>
                <td className={`${CELL} w-40`}>
                  <Select
                    aria-label={`Role of ${u.username}`}
                    value={u.role}
                    disabled={u.id === me.data?.id}
                    onChange={(v) => update.mutate({ id: u.id, role: asRole(v) })}
                    options={ROLE_OPTIONS}
                  />
                </td>
                <td className={`${CELL} w-44`}>
                  <span className="mr-2">{u.disabled ? "Disabled" : "Active"}</span>
                  {u.id !== me.data?.id ? (
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={`${u.disabled ? "Enable" : "Disable"} ${u.username}`}
                      loading={update.isPending && update.variables?.id === u.id}
                      onClick={() => update.mutate({ id: u.id, disabled: !u.disabled })}
                    >
                      {u.disabled ? "Enable" : "Disable"}
                    </Button>
                  ) : null}
                </td>
                <td className={`${CELL} text-zinc-600 dark:text-zinc-400`}>
                  {formatDateTime(u.created_at)}
                </td>
                <td className={`${CELL} text-right`}>
                  {u.id !== me.data?.id ? (
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={`Delete ${u.username}`}
                      onClick={() => setDoomed(u)}
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
      {updateProblem !== null ? (
        <p role="alert" className="text-sm font-medium text-red-600 dark:text-red-400">
          {updateProblem.detail || updateProblem.title}
        </p>
      ) : null}
      <ConfirmDialog
        open={doomed !== null}
        onOpenChange={(o) => {
          if (!o) setDoomed(null);
        }}
        title="Delete user?"
        description={`“${doomed?.username ?? ""}” can no longer sign in.`}
        confirmLabel="Delete"
        busy={del.isPending}
        onConfirm={() => {
          if (doomed !== null) del.mutate(doomed.id, { onSettled: () => setDoomed(null) });
        }}
      />
    </div>
  );
}
