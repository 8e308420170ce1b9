"use client";

import { useId, useState } from "react";

import { toProblem, useAnswerApproval, type Approval, type ApprovalDecision } from "@/api";
import { formatDateTime } from "@/lib/format";

import { JsonBlock } from "../JsonBlock";
import { Button } from "../ui/Button";
import { Label } from "../ui/Label";
import { Textarea } from "../ui/Textarea";

/** The comment's limit (the API's ApprovalAnswer.comment). */
const COMMENT_MAX = 4000;

/* Who the request asks, in words. */
function askedOf(a: Approval): string {
  if (a.user_id !== null && a.user_id !== undefined && a.role !== null && a.role !== undefined)
    return `a named user or any ${a.role}`;
  if (a.user_id !== null && a.user_id !== undefined) return "a named user";
  if (a.role !== null && a.role !== undefined) return `any ${a.role}`;
  return "the run's owner";
}

/**
 * One approval request: its message, what the node received, who it asks and its
 * deadline; while it waits and the signed-in user may answer it, a comment box with
 * Approve and Reject; once answered, the answer. "showInput" shows the node's input.
 */
export function ApprovalCard({
  approval: a,
  showInput = true,
  title,
}: {
  approval: Approval;
  showInput?: boolean;
  title?: string;
}) {
  const answer = useAnswerApproval();
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);
  const commentId = useId();
  const errorId = useId();

  const send = (decision: ApprovalDecision) => {
    setError(null);
    answer.mutate(
      {
        executionId: a.execution_id,
        nodeId: a.node_id,
        answer: comment.trim() === "" ? { decision } : { decision, comment },
      },
      {
        onError: (e) => {
          const p = toProblem(e);
          setError(p.detail || p.title);
        },
      },
    );
  };
  const answered = answer.data ?? (a.state !== "pending" ? a : null);

  return (
    <article
      aria-label={title ?? `Approval ${a.node_id}`}
      className="space-y-3 rounded-lg border border-violet-200 bg-violet-50/50 p-3 dark:border-violet-900 dark:bg-violet-950/30"
    >
      <header className="space-y-0.5">
        <h3 className="text-sm font-semibold">{title ?? `Approval “${a.node_id}”`}</h3>
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          Asks {askedOf(a)} · requested {formatDateTime(a.created_at)}
          {a.deadline ? ` · rejected automatically after ${formatDateTime(a.deadline)}` : ""}
        </p>
      </header>
      {a.message ? <p className="text-sm whitespace-pre-wrap">{a.message}</p> : null}
      {showInput && a.input !== undefined && a.input !== null ? (
        <JsonBlock value={a.input} label={`Input of ${a.node_id}`} compact />
      ) : null}
      {answered !== null ? (
        <p className="text-sm" role="status">
          <span
            className={
              answered.state === "approved"
                ? "font-semibold text-emerald-700 dark:text-emerald-300"
                : "font-semibold text-red-700 dark:text-red-300"
            }
          >
            {answered.state === "approved" ? "Approved" : "Rejected"}
          </span>{" "}
          {answered.answered_by_name ? `by ${answered.answered_by_name}` : "(deadline)"}
          {answered.answered_at ? ` on ${formatDateTime(answered.answered_at)}` : ""}
          {answered.comment ? (
            <span className="mt-1 block whitespace-pre-wrap text-zinc-700 dark:text-zinc-300">
              “{answered.comment}”
            </span>
          ) : null}
        </p>
      ) : a.can_answer ? (
        <div className="space-y-2">
          <div className="space-y-1.5">
            <Label htmlFor={commentId}>Comment (optional)</Label>
            <Textarea
              id={commentId}
              value={comment}
              maxLength={COMMENT_MAX}
              onChange={(e) => setComment(e.target.value)}
              aria-describedby={error !== null ? errorId : undefined}
              placeholder="Becomes part of the node's output"
            />
          </div>
          {error !== null ? (
            <p id={errorId} role="alert" className="text-sm text-red-700 dark:text-red-300">
              {error}
            </p>
          ) : null}
          <div className="flex gap-2">
            <Button
              size="sm"
              loading={answer.isPending && answer.variables?.answer.decision === "approve"}
              disabled={answer.isPending}
              onClick={() => send("approve")}
            >
              Approve
            </Button>
            <Button
              size="sm"
              variant="danger"
              loading={answer.isPending && answer.variables?.answer.decision === "reject"}
              disabled={answer.isPending}
              onClick={() => send("reject")}
            >
              Reject
            </Button>
          </div>
        </div>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {a.execution_status === "waiting"
            ? "Waiting for an answer from someone it asks."
            : "Not answerable until the run waits for it."}
        </p>
      )}
    </article>
  );
}
