/** Run budgets: the form's text fields to a budget and back, and usage as one line of text. */
import type { RunBudget } from "@/api";

/** The budget's limits as the form edits them: text, "" for none. */
export interface BudgetDraft {
  max_tokens: string;
  max_cost_usd: string;
  max_steps: string;
  max_duration_s: string;
}

export function draftOf(b: RunBudget | undefined): BudgetDraft {
  const s = (v: number | undefined) => (v === undefined ? "" : String(v));
  return {
    max_tokens: s(b?.max_tokens),
    max_cost_usd: s(b?.max_cost_usd),
    max_steps: s(b?.max_steps),
    max_duration_s: b?.max_duration_ms === undefined ? "" : String(b.max_duration_ms / 1000),
  };
}

/** The budget of "d", or the first field in error with its message. */
export function budgetOf(
  d: BudgetDraft,
): { budget: RunBudget | undefined } | { field: keyof BudgetDraft; message: string } {
  const out: RunBudget = {};
  const whole = (k: "max_tokens" | "max_steps", max: number) => {
    const v = d[k].trim();
    if (v === "") return null;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max) return `a whole number from 1 to ${max}`;
    out[k] = n;
    return null;
  };
  let bad = whole("max_tokens", 1e12);
  if (bad !== null) return { field: "max_tokens", message: bad };
  bad = whole("max_steps", 1e6);
  if (bad !== null) return { field: "max_steps", message: bad };
  if (d.max_cost_usd.trim() !== "") {
    const n = Number(d.max_cost_usd);
    if (!Number.isFinite(n) || n <= 0 || n > 1e6)
      return { field: "max_cost_usd", message: "an amount above 0, at most 1000000" };
    out.max_cost_usd = n;
  }
  if (d.max_duration_s.trim() !== "") {
    const n = Number(d.max_duration_s);
    if (!Number.isFinite(n) || n <= 0 || n > 604800)
      return { field: "max_duration_s", message: "seconds above 0, at most 604800 (a week)" };
    out.max_duration_ms = Math.max(1, Math.round(n * 1000));
  }
  return { budget: Object.keys(out).length > 0 ? out : undefined };
}

/** An execution.usage event's data: what the run used, and its budget. */
export interface RunUsage {
  tokens: number;
  cost_usd: number;
  steps: number;
  budget: RunBudget;
}

/** "1,000 / 1,200 tokens · $0.0012 · 3 steps": what was used, of the limits set. */
export function usageText(u: RunUsage): string {
  const of = (v: string, max: string | undefined) => (max === undefined ? v : `${v} / ${max}`);
  const num = (n: number) => n.toLocaleString("en-US");
  const usd = (n: number) => `$${n.toFixed(n < 0.01 ? 6 : 2)}`;
  const b = u.budget;
  const parts = [
    `${of(num(u.tokens), b.max_tokens === undefined ? undefined : num(b.max_tokens))} tokens`,
  ];
  if (u.cost_usd > 0 || b.max_cost_usd !== undefined)
    parts.push(of(usd(u.cost_usd), b.max_cost_usd === undefined ? undefined : usd(b.max_cost_usd)));
  parts.push(`${of(num(u.steps), b.max_steps === undefined ? undefined : num(b.max_steps))} steps`);
  return parts.join(" · ");
}
