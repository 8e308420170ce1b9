"use client";

import type { Webhook } from "@/api";
import { hookUrl } from "@/lib/webhook";

import { Button } from "../ui/Button";
import { CopyButton } from "../ui/CopyButton";
import { DropdownMenu, type MenuItem } from "../ui/DropdownMenu";
import { AUTH_SHORT, RESPONSE_SHORT } from "./labels";
import { Pill } from "./Pill";
import { RowSwitch } from "./TriggerFormParts";

export type WebhookAction = "edit" | "test" | "rotate-url" | "rotate-secret" | "delete";

/** The name a webhook is shown by. */
export function webhookName(hook: Webhook): string {
  return hook.name !== undefined && hook.name !== "" ? hook.name : "Untitled webhook";
}

/**
 * One webhook: its name, methods and modes, its full URL with a copy button and, for
 * editors, the enabled switch, "Send a test request", "Edit" and a menu with the
 * rotations and "Delete".
 */
export function WebhookRow({
  hook,
  origin,
  canEdit,
  toggling,
  onToggle,
  onAction,
}: {
  hook: Webhook;
  origin: string;
  canEdit: boolean;
  toggling: boolean;
  onToggle: (enabled: boolean) => void;
  onAction: (action: WebhookAction) => void;
}) {
  const name = webhookName(hook);
  const url = hookUrl(origin, hook.path);
  const switchId = `hook-enabled-${hook.id}`;
  const menu: MenuItem[] = [
    { label: "Rotate URL", onSelect: () => onAction("rotate-url") },
    ...(hook.auth_mode !== "none"
      ? [{ label: "Rotate secret", onSelect: () => onAction("rotate-secret") }]
      : []),
    { label: "Delete", onSelect: () => onAction("delete"), danger: true },
  ];
  return (
    <li aria-label={name} className="space-y-2.5 px-4 py-3.5">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
        <h3 className="min-w-0 truncate text-sm font-semibold">{name}</h3>
        <div className="flex flex-wrap items-center gap-1">
          {hook.methods.map((m) => (
            <Pill key={m} mono>
              {m}
            </Pill>
          ))}
          <Pill tone="indigo">{AUTH_SHORT[hook.auth_mode]}</Pill>
          <Pill>
            {RESPONSE_SHORT[hook.response_mode]}
            {hook.response_mode === "sync" ? ` · ${hook.timeout_ms / 1000} s` : ""}
          </Pill>
          {!hook.enabled && !canEdit ? <Pill tone="amber">Disabled</Pill> : null}
        </div>
        {canEdit ? (
          <RowSwitch
            id={switchId}
            name={name}
            checked={hook.enabled}
            disabled={toggling}
            onChange={onToggle}
            offLabel="Disabled"
          />
        ) : null}
      </div>
      <div className="flex items-center gap-2">
        <code
          aria-label={`URL of ${name}`}
          className="min-w-0 flex-1 rounded-md bg-zinc-100 px-2.5 py-1.5 font-mono text-xs break-all text-zinc-800 dark:bg-zinc-800/70 dark:text-zinc-100"
        >
          {url}
        </code>
        <CopyButton text={url} label="Copy URL" />
      </div>
      {canEdit ? (
        <div className="flex flex-wrap items-center gap-2">
          <Button size="sm" variant="secondary" onClick={() => onAction("test")}>
            Send a test request<span className="sr-only"> to {name}</span>
          </Button>
          <Button size="sm" variant="ghost" onClick={() => onAction("edit")}>
            Edit<span className="sr-only"> {name}</span>
          </Button>
          <DropdownMenu
            items={menu}
            trigger={
              <Button size="sm" variant="ghost" aria-label={`More actions for ${name}`}>
                More <span aria-hidden="true">▾</span>
              </Button>
            }
          />
        </div>
      ) : null}
    </li>
  );
}
