"use client";

import { useState } from "react";

import { useModelPrices, useSaveModelPrices, type ModelPrice, type ModelPriceInput } from "@/api";
import { toast } from "@/store/toastStore";

import { ListSkeleton } from "../list/ListSkeleton";
import { CELL } from "../list/styles";
import { ProblemAlert } from "../ProblemAlert";
import { Button } from "../ui/Button";
import { Input } from "../ui/Input";
import { Table } from "../ui/Table";

interface Row {
  key: number;
  model: string;
  prompt: string;
  completion: string;
}

let nextKey = 1;

function toRows(items: ModelPrice[], extra: string): Row[] {
  const rows = items.map((p) => ({
    key: nextKey++,
    model: p.model,
    prompt: String(p.prompt_per_mtok),
    completion: String(p.completion_per_mtok),
  }));
  if (extra !== "" && !items.some((p) => p.model === extra))
    rows.push({ key: nextKey++, model: extra, prompt: "", completion: "" });
  return rows;
}

/** The rows as the API's items, or the first problem found in them. */
export function rowsToItems(rows: readonly Omit<Row, "key">[]): ModelPriceInput[] | string {
  const seen = new Set<string>();
  const items: ModelPriceInput[] = [];
  for (const r of rows) {
    const model = r.model.trim();
    if (model === "") return "Every row needs a model name.";
    if (seen.has(model)) return `“${model}” is listed twice.`;
    seen.add(model);
    const prompt = Number(r.prompt);
    const completion = Number(r.completion);
    if (r.prompt.trim() === "" || !Number.isFinite(prompt) || prompt < 0 || prompt > 1e6)
      return `The prompt price of “${model}” must be a number from 0 to 1,000,000.`;
    if (
      r.completion.trim() === "" ||
      !Number.isFinite(completion) ||
      completion < 0 ||
      completion > 1e6
    )
      return `The completion price of “${model}” must be a number from 0 to 1,000,000.`;
    items.push({ model, prompt_per_mtok: prompt, completion_per_mtok: completion });
  }
  return items;
}

/** The editable table, started from the saved prices. */
function PricesEditor({ saved, newModel }: { saved: ModelPrice[]; newModel: string }) {
  const [rows, setRows] = useState<Row[]>(() => toRows(saved, newModel));
  const [problem, setProblem] = useState("");
  const save = useSaveModelPrices();
  const set = (key: number, change: Partial<Row>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const onSave = () => {
    const items = rowsToItems(rows);
    if (typeof items === "string") {
      setProblem(items);
      return;
    }
    setProblem("");
    save.mutate(items, {
      onSuccess: (fresh) => {
        setRows(toRows(fresh, ""));
        toast({ kind: "success", title: "Model prices saved" });
      },
    });
  };

  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
    >
      {rows.length === 0 ? (
        <p className="text-sm text-zinc-500 italic dark:text-zinc-400">No model has a price yet.</p>
      ) : (
        <Table
          label="Model prices"
          columns={["Model", "Prompt, per million tokens", "Completion, per million tokens", ""]}
        >
          {rows.map((r, i) => (
            <tr key={r.key}>
              <td className={CELL}>
                <Input
                  aria-label={`Model of row ${i + 1}`}
                  value={r.model}
                  maxLength={200}
                  placeholder="gpt-4o-mini"
                  className="font-mono"
                  onChange={(e) => set(r.key, { model: e.target.value })}
                />
              </td>
              <td className={CELL}>
                <Input
                  aria-label={`Prompt price of ${r.model || `row ${i + 1}`}`}
                  value={r.prompt}
                  inputMode="decimal"
                  placeholder="0.15"
                  onChange={(e) => set(r.key, { prompt: e.target.value })}
                />
              </td>
              <td className={CELL}>
                <Input
                  aria-label={`Completion price of ${r.model || `row ${i + 1}`}`}
                  value={r.completion}
                  inputMode="decimal"
                  placeholder="0.60"
                  onChange={(e) => set(r.key, { completion: e.target.value })}
                />
              </td>
              <td className={`${CELL} text-right`}>
                <Button
                  type="button"
                  variant="ghost"
                  size="sm"
                  aria-label={`Remove the price of ${r.model || `row ${i + 1}`}`}
                  onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
                >
                  Remove
                </Button>
              </td>
            </tr>
          ))}
        </Table>
      )}
      {problem !== "" ? (
        <p role="alert" className="text-sm font-medium text-red-600 dark:text-red-400">
          {problem}
        </p>
      ) : null}
      {save.isError ? (
        <ProblemAlert error={save.error} context="Could not save the prices" />
      ) : null}
      <div className="flex gap-2">
        <Button
          type="button"
          variant="secondary"
          onClick={() =>
            setRows((rs) => [...rs, { key: nextKey++, model: "", prompt: "", completion: "" }])
          }
        >
          Add a model
        </Button>
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save prices"}
        </Button>
      </div>
    </form>
  );
}

/** Admins: what each model costs per million prompt and completion tokens, for the usage
 * section's estimated costs. The model name is the one the usage table shows. */
export function ModelPricesPanel({ newModel }: { newModel: string }) {
  const prices = useModelPrices(true);
  return (
    <div className="space-y-4">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Prices in your currency per million tokens, by model name as the provider reports it (the
        dashboard&apos;s usage table lists them). A model without a price has an unknown cost.
      </p>
      {prices.isPending ? (
        <ListSkeleton rows={3} label="Loading the prices" />
      ) : prices.isError ? (
        <ProblemAlert
          error={prices.error}
          context="Could not load the prices"
          onRetry={() => void prices.refetch()}
        />
      ) : (
        <PricesEditor key={newModel} saved={prices.data} newModel={newModel} />
      )}
    </div>
  );
}
