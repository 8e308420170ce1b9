/**
 * Maps the field errors of a 422 problem onto the nodes they are about, so the
 * editor can show each message on the offending node. Pure; tested.
 *
 * The API names fields "nodes[i].config.x", "nodes[i]", "edges[j].target" and puts
 * the node id in the message; i and j index the definition that was sent.
 */

import type { FieldError, WorkflowDefinition } from "@/api/types";

export interface NodeErrors {
  /** Messages per node id. */
  byNode: Record<string, string[]>;
  /** Messages that belong to no single node ("nodes": needs exactly 1 input node). */
  general: string[];
}

const NODE_FIELD = /^nodes\[(\d+)\](?:\.(.+))?$/;
const EDGE_FIELD = /^edges\[(\d+)\](?:\.(.+))?$/;

function add(map: Record<string, string[]>, id: string, msg: string) {
  const list = map[id] ?? [];
  if (!list.includes(msg)) list.push(msg);
  map[id] = list;
}

export function mapProblemToNodes(
  def: WorkflowDefinition,
  errors: readonly FieldError[],
): NodeErrors {
  const byNode: Record<string, string[]> = {};
  const general: string[] = [];
  const ids = new Set(def.nodes.map((n) => n.id));

  for (const e of errors) {
    const node = NODE_FIELD.exec(e.field);
    if (node !== null) {
      const n = def.nodes[Number(node[1])];
      const rest = node[2];
      const where = rest !== undefined && rest.startsWith("config.") ? `${rest.slice(7)}: ` : "";
      if (n !== undefined) {
        add(byNode, n.id, `${where}${e.message}`);
        continue;
      }
    }
    const edge = EDGE_FIELD.exec(e.field);
    if (edge !== null) {
      const ed = def.edges[Number(edge[1])];
      if (ed !== undefined) {
        // A bad source or target names a node that may not exist; show it on the one that does.
        // A bad source handle is the source's.
        const fromSource = edge[2] === "source" || edge[2] === "source_handle";
        const end = fromSource ? ed.source : ed.target;
        const other = fromSource ? ed.target : ed.source;
        const owner = ids.has(end) ? end : ids.has(other) ? other : null;
        if (owner !== null) {
          add(byNode, owner, `connection ${ed.source} → ${ed.target}: ${e.message}`);
          continue;
        }
      }
    }
    // Otherwise look for a node id quoted in the message ("node \"x\" is part of a cycle").
    const quoted = [...e.message.matchAll(/"([^"]+)"/g)]
      .map((m) => m[1] ?? "")
      .filter((q) => ids.has(q));
    if (quoted.length > 0) {
      for (const q of quoted) add(byNode, q, e.message);
      continue;
    }
    general.push(e.field !== "" ? `${e.field}: ${e.message}` : e.message);
  }
  return { byNode, general };
}
