"use client";

import type { DragEvent } from "react";

import type { NodeType } from "@/api";

export const DND_TYPE = "application/x-fragent-node";

/** The node types, grouped by category: drag one onto the canvas, or press it to add it. */
export function NodePalette({
  types,
  onAdd,
}: {
  types: readonly NodeType[];
  onAdd: (type: string) => void;
}) {
  const groups = new Map<string, NodeType[]>();
  for (const t of types) groups.set(t.category, [...(groups.get(t.category) ?? []), t]);
  const start = (e: DragEvent, type: string) => {
    e.dataTransfer.setData(DND_TYPE, type);
    e.dataTransfer.setData("text/plain", type);
    e.dataTransfer.effectAllowed = "move";
  };
  return (
    <nav aria-label="Node types" className="flex h-full flex-col gap-4 overflow-y-auto p-3">
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Drag onto the canvas, or press to add.
      </p>
      {[...groups.entries()].map(([cat, list]) => (
        <section key={cat} aria-label={cat}>
          <h3 className="mb-1.5 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
            {cat}
          </h3>
          <ul className="space-y-1.5">
            {list.map((t) => (
              <li key={t.type}>
                <button
                  type="button"
                  draggable
                  onDragStart={(e) => start(e, t.type)}
                  onClick={() => onAdd(t.type)}
                  aria-label={`Add ${t.title} node`}
                  title={t.description}
                  className="w-full cursor-grab rounded-lg border border-zinc-200 bg-white px-2.5 py-1.5 text-left text-sm hover:border-indigo-400 focus-visible:outline-2 focus-visible:outline-indigo-500 active:cursor-grabbing dark:border-zinc-700 dark:bg-zinc-900"
                >
                  <span className="block font-medium">{t.title}</span>
                  <span className="line-clamp-2 text-xs text-zinc-500 dark:text-zinc-400">
                    {t.description}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}
