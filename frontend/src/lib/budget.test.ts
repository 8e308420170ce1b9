import { describe, expect, it } from "vitest";

import { budgetOf, draftOf, usageText } from "./budget";

describe("budget drafts", () => {
  it("round-trips a budget through the form's text", () => {
    const b = { max_tokens: 1200, max_cost_usd: 0.5, max_steps: 10, max_duration_ms: 90000 };
    expect(draftOf(b)).toEqual({
      max_tokens: "1200",
      max_cost_usd: "0.5",
      max_steps: "10",
      max_duration_s: "90",
    });
    expect(budgetOf(draftOf(b))).toEqual({ budget: b });
  });
  it("empty fields are no budget", () => {
    expect(budgetOf(draftOf(undefined))).toEqual({ budget: undefined });
  });
  it("names the first field in error", () => {
    expect(budgetOf({ ...draftOf(undefined), max_tokens: "1.5" })).toMatchObject({
      field: "max_tokens",
    });
    expect(budgetOf({ ...draftOf(undefined), max_cost_usd: "0" })).toMatchObject({
      field: "max_cost_usd",
    });
    expect(budgetOf({ ...draftOf(undefined), max_duration_s: "x" })).toMatchObject({
      field: "max_duration_s",
    });
  });
});

describe("usageText", () => {
  it("shows the limits set beside what was used", () => {
    expect(usageText({ tokens: 1000, cost_usd: 0, steps: 3, budget: { max_tokens: 1200 } })).toBe(
      "1,000 / 1,200 tokens · 3 steps",
    );
    expect(
      usageText({ tokens: 5, cost_usd: 0.0012, steps: 2, budget: { max_cost_usd: 0.0015 } }),
    ).toBe("5 tokens · $0.001200 / $0.001500 · 2 steps");
  });
});
