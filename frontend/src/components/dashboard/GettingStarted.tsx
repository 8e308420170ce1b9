import Link from "next/link";

const STEPS = [
  {
    href: "/credentials/",
    title: "Add a credential",
    text: "Store the API key of your LLM provider (OpenAI-compatible or Anthropic). It is encrypted and never shown again.",
  },
  {
    href: "/agents/edit/",
    title: "Create an agent",
    text: "Pick a model, write a system prompt, choose tools. Try it in the chat panel.",
  },
  {
    href: "/workflows/edit/",
    title: "Build a workflow",
    text: "Drag nodes onto the canvas, connect them, save and press Run. Every step shows up live.",
  },
];

/** The dashboard's first-run guide: what to do first, in order. */
export function GettingStarted({ canEdit }: { canEdit: boolean }) {
  return (
    <section
      aria-labelledby="getting-started"
      className="rounded-xl border border-indigo-200 bg-indigo-50/60 p-5 dark:border-indigo-900 dark:bg-indigo-950/30"
    >
      <h2 id="getting-started" className="text-base font-semibold">
        Get started
      </h2>
      {canEdit ? (
        <ol className="mt-3 grid gap-3 md:grid-cols-3">
          {STEPS.map((s, i) => (
            <li key={s.href}>
              <Link
                href={s.href}
                className="block h-full rounded-lg border border-zinc-200 bg-white p-4 hover:border-indigo-400 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-zinc-800 dark:bg-zinc-900"
              >
                <span className="text-xs font-semibold text-indigo-600 dark:text-indigo-400">
                  Step {i + 1}
                </span>
                <span className="mt-1 block text-sm font-semibold">{s.title}</span>
                <span className="mt-1 block text-sm text-zinc-600 dark:text-zinc-400">
                  {s.text}
                </span>
              </Link>
            </li>
          ))}
        </ol>
      ) : (
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          Nothing has been shared with you yet. As a viewer you can watch runs once an editor starts
          them.
        </p>
      )}
    </section>
  );
}
