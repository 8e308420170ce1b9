"use client";

import Link from "next/link";

import type { UsageModels } from "@/api";

import { CELL, ROW_LINK } from "../list/styles";
import { Table } from "../ui/Table";
import { formatCost, formatTokens } from "./usageFormat";

/** Calls, tokens and estimated cost per model; a model without a price costs "unknown"
 * (admins get a link to price it). */
export function ModelUsageTable({ data, admin }: { data: UsageModels; admin: boolean }) {
  const t = data.totals;
  return (
    <Table
      label="Tokens and cost per model"
      columns={["Model", "Calls", "Prompt tokens", "Completion tokens", "Estimated cost"]}
    >
      {data.items.map((m) => (
        <tr key={`${m.provider}/${m.model}`}>
          <td className={CELL}>
            <span className="font-mono text-xs">{m.model}</span>
            <span className="ml-2 text-xs text-zinc-500 dark:text-zinc-400">{m.provider}</span>
          </td>
          <td className={`${CELL} tabular-nums`}>{formatTokens(m.calls)}</td>
          <td className={`${CELL} tabular-nums`}>{formatTokens(m.prompt_tokens)}</td>
          <td className={`${CELL} tabular-nums`}>{formatTokens(m.completion_tokens)}</td>
          <td className={`${CELL} tabular-nums`}>
            {m.cost === null ? (
              <span className="text-zinc-500 italic dark:text-zinc-400">
                unknown
                {admin ? (
                  <>
                    {" · "}
                    <Link
                      href={`/settings/?tab=prices&model=${encodeURIComponent(m.model)}`}
                      className={`${ROW_LINK} text-indigo-600 not-italic dark:text-indigo-400`}
                    >
                      set a price
                    </Link>
                  </>
                ) : null}
              </span>
            ) : (
              formatCost(m.cost)
            )}
          </td>
        </tr>
      ))}
      <tr className="font-medium">
        <td className={CELL}>Total</td>
        <td className={`${CELL} tabular-nums`}>{formatTokens(t.calls)}</td>
        <td className={`${CELL} tabular-nums`}>{formatTokens(t.prompt_tokens)}</td>
        <td className={`${CELL} tabular-nums`}>{formatTokens(t.completion_tokens)}</td>
        <td className={`${CELL} tabular-nums`}>
          {t.unpriced_models === data.items.length ? "unknown" : formatCost(t.cost)}
          {t.unpriced_models > 0 && t.unpriced_models < data.items.length ? (
            <span className="ml-1 text-xs font-normal text-zinc-500 dark:text-zinc-400">
              + {t.unpriced_models} unpriced {t.unpriced_models === 1 ? "model" : "models"}
            </span>
          ) : null}
        </td>
      </tr>
    </Table>
  );
}
