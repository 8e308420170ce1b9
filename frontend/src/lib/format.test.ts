import { describe, expect, test } from "vitest";

import { formatInZone, formatRelative } from "./format";
import { timeZoneList } from "./timezones";

const NOW = Date.parse("2026-12-03T10:00:00Z");

describe("formatRelative", () => {
  test.each([
    ["2026-12-03T10:00:10Z", "now"],
    ["2026-12-03T10:00:45Z", "in 1 minute"],
    ["2026-12-03T10:20:00Z", "in 20 minutes"],
    ["2026-12-03T13:00:00Z", "in 3 hours"],
    ["2026-12-04T10:00:00Z", "tomorrow"],
    ["2026-12-07T08:00:00Z", "in 4 days"],
    ["2026-12-02T09:00:00Z", "yesterday"],
    ["2026-12-10T10:00:00Z", "in 1 week"],
    ["2026-12-17T10:00:00Z", "in 2 weeks"],
    ["2026-12-03T08:00:00Z", "2 hours ago"],
    ["2027-02-03T10:00:00Z", "in 2 months"],
  ])("%s is %j", (iso, text) => {
    expect(formatRelative(iso, NOW, "en-US", "UTC")).toBe(text);
  });

  test("days are calendar days of the zone, not rounded spans of 24 hours", () => {
    // Saturday 21:15 in Paris; Monday 09:00 is 36 hours away, two dates ahead.
    const saturdayEvening = Date.parse("2026-12-05T20:15:00Z");
    expect(formatRelative("2026-12-07T08:00:00Z", saturdayEvening, "en-US", "Europe/Paris")).toBe(
      "in 2 days",
    );
    // Sunday 07:00 in Paris: the same Monday is 26 hours away, and the next date.
    const sundayMorning = Date.parse("2026-12-06T06:00:00Z");
    expect(formatRelative("2026-12-07T08:00:00Z", sundayMorning, "en-US", "Europe/Paris")).toBe(
      "tomorrow",
    );
    // 23:30 and 00:30 of the next day are one date apart in Paris, none in New York.
    const late = Date.parse("2026-12-05T22:30:00Z");
    const nextLate = "2026-12-06T23:30:00Z";
    expect(formatRelative(nextLate, late, "en-US", "Europe/Paris")).toBe("in 2 days");
    expect(formatRelative(nextLate, late, "en-US", "America/New_York")).toBe("tomorrow");
  });

  test("a zone the browser does not know counts days in the browser's zone", () => {
    const late = Date.parse("2026-12-05T22:30:00Z");
    for (const iso of ["2026-12-06T23:30:00Z", "2026-12-07T08:00:00Z", "2026-12-04T10:00:00Z"]) {
      expect(formatRelative(iso, late, "en-US", "Mars/Olympus_Mons")).toBe(
        formatRelative(iso, late, "en-US"),
      );
    }
  });

  test("no date", () => {
    expect(formatRelative(null, NOW)).toBe("—");
    expect(formatRelative("soon", NOW)).toBe("—");
  });
});

describe("formatInZone", () => {
  test("shows the clock of the schedule's zone", () => {
    expect(formatInZone("2026-12-07T08:00:00Z", "Europe/Paris", "en-US")).toMatch(
      /^Mon, Dec 7, 2026, 09:00( AM)? (GMT\+1|CET)$/,
    );
    expect(formatInZone("2026-07-06T07:00:00Z", "Europe/Paris", "en-US")).toMatch(
      /^Mon, Jul 6, 2026, 09:00( AM)? (GMT\+2|CEST)$/,
    );
  });

  test("an unknown zone falls back to the browser's; a non-date is shown as it is", () => {
    expect(formatInZone("2026-12-07T08:00:00Z", "Mars/Olympus", "en-US")).toMatch(/2026/);
    expect(formatInZone("", "UTC")).toBe("—");
  });
});

describe("timeZoneList", () => {
  test("sorted, without repeats, with UTC and the extra zones", () => {
    const list = timeZoneList(["Europe/Paris", "Etc/Custom", ""]);
    expect(list).toContain("UTC");
    expect(list).toContain("Europe/Paris");
    expect(list).toContain("Etc/Custom");
    expect(list).not.toContain("");
    expect(new Set(list).size).toBe(list.length);
    expect([...list].sort((a, b) => a.localeCompare(b))).toEqual(list);
  });
});
