"use client";

import { Handle, Position } from "@xyflow/react";

import type { JsonObject, NodeStatus, NodeType } from "@/api";
import { ERROR_COLOUR, nodeOutputs } from "@/lib/graph";
import type { ReplayMark } from "@/lib/replay";

import { STATUS_STYLES } from "../StatusBadge";
import { Spinner } from "../ui/Spinner";

const BORDER: Record<NodeStatus | "idle", string> = {
  idle: "border-zinc-300 dark:border-zinc-700",
  queued: "border-zinc-300 dark:border-zinc-700",
  running: "border-sky-500 ring-4 ring-sky-500/20 dark:border-sky-400",
  waiting: "border-violet-500 ring-4 ring-violet-500/20 dark:border-violet-400",
  succeeded: "border-emerald-500 bg-emerald-50 dark:border-emerald-500 dark:bg-emerald-950/50",
  failed: "border-red-500 bg-red-50 dark:border-red-500 dark:bg-red-950/50",
  skipped: "border-dashed border-zinc-300 opacity-60 dark:border-zinc-600",
  cancelled: "border-amber-500 bg-amber-50 dark:border-amber-500 dark:bg-amber-950/40",
};

/* A replay's node beside the original's: an amber ring where it differs, and a tag. */
const MARK: Record<ReplayMark, { ring: string; tag: string; label: string }> = {
  differs: {
    ring: "ring-4 ring-amber-400/80 dark:ring-amber-500/70",
    tag: "bg-amber-100 text-amber-900 ring-amber-400 dark:bg-amber-900 dark:text-amber-100 dark:ring-amber-600",
    label: "differs",
  },
  same: {
    ring: "",
    tag: "bg-white text-emerald-800 ring-emerald-300 dark:bg-zinc-900 dark:text-emerald-200 dark:ring-emerald-800",
    label: "same",
  },
  reused: {
    ring: "",
    tag: "bg-white text-zinc-600 ring-zinc-300 dark:bg-zinc-900 dark:text-zinc-300 dark:ring-zinc-600",
    label: "reused",
  },
};

/* The first short text of the config, shown under the title. */
function summary(config: JsonObject): string {
  for (const v of Object.values(config)) {
    if (typeof v === "string" && v.trim() !== "") return v.length > 60 ? `${v.slice(0, 57)}…` : v;
  }
  return "";
}

export interface NodeCardProps {
  id: string;
  kind: string;
  config: JsonObject;
  nodeType: NodeType | undefined;
  selected: boolean;
  status?: NodeStatus;
  errors?: readonly string[];
  /** Streamed text while the node runs. */
  tokens?: string;
  connectable: boolean;
  /**
   * Whether edges leave the error handle. A read-only card (the run view) shows the handle
   * only then; it is always there, for React Flow to draw such edges from.
   */
  errorWired?: boolean;
  /** In a replay's run view: how this node compares with the original run's. */
  mark?: ReplayMark;
}

/** How a node looks on a canvas: type, id, a config summary, handles, status and errors. */
export function NodeCard({
  id,
  kind,
  config,
  nodeType,
  selected,
  status,
  errors = [],
  tokens,
  connectable,
  errorWired = false,
  mark,
}: NodeCardProps) {
  const inputs = nodeType?.handles.inputs ?? ["default"];
  const outputs = nodeOutputs(nodeType, config);
  const errorHandle = nodeType?.handles.error;
  const errorShown = connectable || errorWired;
  const hasErrors = errors.length > 0;
  const look = hasErrors ? "border-red-500 ring-4 ring-red-500/20" : BORDER[status ?? "idle"];
  const text = summary(config);
  // The selection outline goes outside a replay's ring, so that both show.
  const outline = selected
    ? `outline-2 outline-indigo-500 ${mark === "differs" ? "outline-offset-[6px]" : "outline-offset-2"}`
    : "";
  return (
    <div
      data-status={status}
      data-invalid={hasErrors || undefined}
      data-replay={mark}
      className={`relative w-52 rounded-lg border-2 bg-white px-3 py-2 text-left shadow-sm dark:bg-zinc-900 ${look} ${
        mark !== undefined ? MARK[mark].ring : ""
      } ${outline}`}
      // Room for every labelled output handle (a switch may have many cases).
      style={outputs.length > 2 ? { minHeight: `${outputs.length * 1.25 + 0.5}rem` } : undefined}
    >
      {mark !== undefined ? (
        <span
          className={`absolute -top-2.5 left-2 rounded-full px-1.5 text-[10px] leading-4 font-semibold ring-1 ring-inset ${MARK[mark].tag}`}
        >
          <span className="sr-only">Compared with the original: </span>
          {MARK[mark].label}
        </span>
      ) : null}
      {inputs.length > 0 ? (
        <Handle
          type="target"
          position={Position.Left}
          id={inputs[0]}
          isConnectable={connectable}
          className="!size-3"
        />
      ) : null}
      <div className="flex items-center justify-between gap-2">
        <span className="truncate text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
          {nodeType?.title ?? kind}
        </span>
        {status !== undefined ? (
          <span
            className={`flex items-center gap-1 rounded-full px-1.5 text-[10px] font-semibold ring-1 ring-inset ${STATUS_STYLES[status].className}`}
          >
            {status === "running" ? <Spinner className="size-2.5" /> : null}
            {STATUS_STYLES[status].label}
          </span>
        ) : null}
      </div>
      <div className="truncate font-mono text-sm font-semibold">{id}</div>
      {text !== "" ? (
        <div className="mt-0.5 truncate text-xs text-zinc-600 dark:text-zinc-400">{text}</div>
      ) : null}
      {tokens !== undefined && tokens !== "" ? (
        <div className="mt-1 line-clamp-3 rounded bg-zinc-100 px-1.5 py-1 text-xs dark:bg-zinc-800">
          {tokens}
        </div>
      ) : null}
      {hasErrors ? (
        <ul
          className="mt-1 space-y-0.5 text-xs font-medium text-red-700 dark:text-red-300"
          aria-label={`Problems of ${id}`}
        >
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
      {outputs.map((h, i) => (
        <Handle
          key={h}
          type="source"
          position={Position.Right}
          id={h}
          isConnectable={connectable}
          className="!size-3"
          style={
            outputs.length > 1 ? { top: `${((i + 1) * 100) / (outputs.length + 1)}%` } : undefined
          }
        >
          {outputs.length > 1 ? (
            <span className="pointer-events-none absolute left-3 -translate-y-1/2 text-[10px] font-semibold text-zinc-500 dark:text-zinc-400">
              {h}
            </span>
          ) : null}
        </Handle>
      ))}
      {errorHandle !== undefined ? (
        <Handle
          type="source"
          position={Position.Bottom}
          id={errorHandle}
          isConnectable={connectable}
          title="error: followed when the node fails after its retries"
          className={`!size-2.5 !rounded-sm !border-red-800 ${errorShown ? "" : "opacity-0"}`}
          style={{ left: "85%", background: ERROR_COLOUR }}
        >
          <span
            hidden={!errorShown}
            className="pointer-events-none absolute top-2 left-1/2 -translate-x-1/2 text-[10px] font-semibold"
            style={{ color: ERROR_COLOUR }}
          >
            {errorHandle}
          </span>
        </Handle>
      ) : null}
    </div>
  );
}
