import { describe, expect, test } from "vitest";

import type { ReplayDiffNode, WorkflowDefinition } from "@/api/types";

import {
  countDiffering,
  parseInputs,
  replayDescription,
  replayMarks,
  replayRequest,
} from "./replay";

function node(id: string, over: Partial<ReplayDiffNode> = {}): ReplayDiffNode {
  return {
    node_id: id,
    status: "succeeded",
    original_status: "succeeded",
    same_output: true,
    replay_source: "recording",
    calls_live: 0,
    calls_recorded: 1,
    ...over,
  };
}

const diff = (...nodes: ReplayDiffNode[]) => ({ original_id: "o", replay_id: "r", nodes });

describe("replayMarks", () => {
  test("no diff, no marks", () => {
    expect(replayMarks(undefined)).toEqual({});
  });

  test("reused before the replayed part, same when re-run with the same output", () => {
    const marks = replayMarks(
      diff(node("in", { replay_source: "reused" }), node("agent"), node("out")),
    );
    expect(marks).toEqual({ in: "reused", agent: "same", out: "same" });
  });

  test("another output differs, and so does another status", () => {
    const marks = replayMarks(
      diff(
        node("agent", { same_output: false, replay_source: "live", calls_live: 1 }),
        node("check", { status: "failed", same_output: null }),
      ),
    );
    expect(marks).toEqual({ agent: "differs", check: "differs" });
    expect(countDiffering(marks)).toBe(2);
  });

  test("a node that ran in one run only differs; one that ran in neither has no mark", () => {
    const marks = replayMarks(
      diff(
        node("new", { original_status: null, same_output: null }),
        node("gone", { status: null, same_output: null, replay_source: null }),
        node("never", { status: null, original_status: null, same_output: null }),
      ),
    );
    expect(marks).toEqual({ new: "differs", gone: "differs" });
  });

  test("members left out read as null", () => {
    expect(replayMarks(diff({ node_id: "a" }, { node_id: "b", status: "succeeded" }))).toEqual({
      b: "differs",
    });
  });

  test("the same status without outputs on either side is the same", () => {
    const marks = replayMarks(
      diff(node("skip", { status: "skipped", original_status: "skipped", same_output: null })),
    );
    expect(marks).toEqual({ skip: "same" });
  });
});

describe("replayDescription", () => {
  test("names the step, the changes and whether it may call out", () => {
    expect(replayDescription(null)).toBe("");
    expect(
      replayDescription({
        from_node: null,
        offline: true,
        input_changed: false,
        definition_changed: false,
      }),
    ).toBe("offline");
    expect(
      replayDescription({
        from_node: "agent",
        offline: false,
        input_changed: true,
        definition_changed: true,
      }),
    ).toBe(
      "from step agent · changed inputs · changed definition · calls out when a request differs",
    );
  });
});

describe("parseInputs", () => {
  test("an object, or why not", () => {
    expect(parseInputs('{"name": "Ada"}')).toEqual({ value: { name: "Ada" } });
    expect(parseInputs("  ")).toEqual({ value: {} });
    expect(parseInputs("{name")).toEqual({ error: "This is not valid JSON." });
    expect(parseInputs("[1]")).toHaveProperty("error");
    expect(parseInputs("null")).toHaveProperty("error");
  });
});

describe("replayRequest", () => {
  const definition: WorkflowDefinition = { nodes: [], edges: [] };

  test("the inputs go only when they changed (member order aside)", () => {
    expect(
      replayRequest({
        fromNode: "agent",
        inputs: { b: 2, a: { y: 1, x: 0 } },
        original: { a: { x: 0, y: 1 }, b: 2 },
        definition: null,
        offline: false,
      }),
    ).toEqual({ from_node: "agent", offline: false });
    expect(
      replayRequest({
        fromNode: "agent",
        inputs: { name: "Zed" },
        original: { name: "Ada" },
        definition: null,
        offline: true,
      }),
    ).toEqual({ from_node: "agent", offline: true, input: { name: "Zed" } });
  });

  test("the definition goes when chosen; no original inputs count as {}", () => {
    expect(
      replayRequest({
        fromNode: "in",
        inputs: {},
        original: undefined,
        definition,
        offline: false,
      }),
    ).toEqual({ from_node: "in", offline: false, definition });
  });
});
