import { beforeEach, describe, expect, test } from "vitest";

import type { NodeType } from "@/api/types";

import { useEditorStore } from "./editorStore";

/* The one node type these tests add: a branch with two output handles. */
const CONDITION: NodeType = {
  type: "condition",
  title: "Condition",
  description: "Takes the true or the false branch.",
  category: "Flow",
  config_schema: { type: "object", required: ["expr"], properties: { expr: { type: "string" } } },
  handles: { inputs: ["default"], outputs: ["true", "false"] },
};

function fresh() {
  useEditorStore.getState().load({
    id: "w1",
    name: "Test",
    description: "",
    version: 3,
    definition: {
      nodes: [
        { id: "in", type: "input", config: {}, position: { x: 0, y: 0 } },
        { id: "out", type: "output", config: { value: "x" }, position: { x: 300, y: 0 } },
      ],
      edges: [{ source: "in", target: "out" }],
    },
  });
}

describe("editor store", () => {
  beforeEach(fresh);

  test("a config change that renames or removes a case moves or drops its connections", () => {
    const st = useEditorStore.getState();
    const id = st.addNode(undefined, "switch", { x: 100, y: 100 });
    st.updateConfig(id, {
      cases: [
        { name: "a", expr: "true" },
        { name: "b", expr: "false" },
      ],
    });
    expect(st.connect({ source: id, sourceHandle: "a", target: "out", targetHandle: null })).toBe(
      true,
    );
    expect(st.connect({ source: id, sourceHandle: "b", target: "out", targetHandle: null })).toBe(
      true,
    );
    expect(
      st.connect({ source: id, sourceHandle: "error", target: "out", targetHandle: null }),
    ).toBe(true);
    st.updateConfig(id, { cases: [{ name: "big", expr: "true" }] }, { a: "big", b: null });
    const handles = useEditorStore
      .getState()
      .definition()
      .edges.filter((e) => e.source === id)
      .map((e) => e.source_handle);
    expect(handles).toEqual(["big", "error"]);
    st.undo();
    expect(useEditorStore.getState().edges.filter((e) => e.source === id)).toHaveLength(3);
  });

  test("load starts clean", () => {
    const s = useEditorStore.getState();
    expect(s.nodes).toHaveLength(2);
    expect(s.dirty).toBe(false);
    expect(s.past).toHaveLength(0);
    expect(s.version).toBe(3);
  });

  test("add node, connect condition branches, undo and redo", () => {
    const st = useEditorStore.getState();
    const id = st.addNode(CONDITION, "condition", { x: 100, y: 100 });
    expect(id).toBe("condition");
    expect(useEditorStore.getState().nodes.find((n) => n.id === id)?.selected).toBe(true);
    expect(
      st.connect({ source: "in", sourceHandle: "default", target: id, targetHandle: null }),
    ).toBe(true);
    expect(
      st.connect({ source: id, sourceHandle: "true", target: "out", targetHandle: null }),
    ).toBe(true);
    // Would close a cycle.
    expect(
      st.connect({ source: "out", sourceHandle: "default", target: "in", targetHandle: null }),
    ).toBe(false);
    const def = useEditorStore.getState().definition();
    expect(def.edges).toContainEqual({ source: "condition", source_handle: "true", target: "out" });
    expect(useEditorStore.getState().dirty).toBe(true);

    st.undo();
    expect(useEditorStore.getState().edges).toHaveLength(2);
    st.undo();
    st.undo();
    expect(useEditorStore.getState().nodes).toHaveLength(2);
    st.redo();
    expect(useEditorStore.getState().nodes).toHaveLength(3);
  });

  test("delete removes the selected node with its edges; undo restores both", () => {
    const st = useEditorStore.getState();
    st.select("in");
    st.deleteSelected();
    expect(useEditorStore.getState().nodes.map((n) => n.id)).toEqual(["out"]);
    expect(useEditorStore.getState().edges).toHaveLength(0);
    st.undo();
    expect(useEditorStore.getState().edges).toHaveLength(1);
  });

  test("rename updates edges and refuses bad or taken ids", () => {
    const st = useEditorStore.getState();
    expect(st.renameNode("in", "out")).toMatch(/already exists/);
    expect(st.renameNode("in", "input")).not.toBeNull();
    expect(st.renameNode("in", "start")).toBeNull();
    expect(useEditorStore.getState().definition().edges).toEqual([
      { source: "start", target: "out" },
    ]);
  });

  test("config edits and saving", () => {
    const st = useEditorStore.getState();
    st.updateConfig("out", { value: "{{ .in.x }}" });
    expect(useEditorStore.getState().definition().nodes[1]?.config).toEqual({
      value: "{{ .in.x }}",
    });
    st.setErrors({ byNode: { out: ["bad"] }, general: [] });
    st.markSaved({ id: "w1", version: 4 });
    const s = useEditorStore.getState();
    expect(s).toMatchObject({ dirty: false, version: 4 });
    expect(s.errors.byNode).toEqual({});
  });

  test("auto-layout orders nodes left to right along the edges", () => {
    const st = useEditorStore.getState();
    st.replaceDefinition({
      nodes: [
        { id: "out", type: "output", config: {} },
        { id: "in", type: "input", config: {} },
      ],
      edges: [{ source: "in", target: "out" }],
    });
    st.layout();
    const [out, inn] = useEditorStore.getState().nodes;
    expect((inn?.position.x ?? 0) < (out?.position.x ?? 0)).toBe(true);
  });
});
