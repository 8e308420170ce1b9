import { describe, expect, it } from "vitest";

import { formatCost, formatDuration, formatTokens } from "./usageFormat";

describe("usage formatting", () => {
  it("formats durations by size", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(420)).toBe("420 ms");
    expect(formatDuration(3200)).toBe("3.2 s");
    expect(formatDuration(270_000)).toBe("4.5 min");
    expect(formatDuration(7_560_000)).toBe("2.1 h");
  });
  it("says unknown for a cost without a price, never zero", () => {
    expect(formatCost(null)).toBe("unknown");
    expect(formatCost(0)).toBe("0");
    expect(formatCost(0.00062)).toBe("0.00062");
    expect(formatCost(12.345)).toBe("12.35");
  });
  it("groups token counts", () => {
    expect(formatTokens(140)).toBe(new Intl.NumberFormat().format(140));
    expect(formatTokens(2_500_000)).toMatch(/2\.5/);
  });
});
