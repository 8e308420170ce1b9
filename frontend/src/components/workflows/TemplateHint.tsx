/** Explains the template or jq syntax of a field and lists what it can reference. */
export function TemplateHint({
  kind,
  upstream,
}: {
  kind: "template" | "jq";
  upstream: readonly string[];
}) {
  const refs = ["input", ...upstream.map((u) => `${u}.output`)];
  return (
    <span className="block space-y-1">
      {kind === "template" ? (
        <span className="block">
          Text with <code className="font-mono">{"{{ jq }}"}</code> expressions, e.g.{" "}
          <code className="font-mono">{"{{ .input.name }}"}</code>. A field that is exactly one{" "}
          <code className="font-mono">{"{{ … }}"}</code> keeps the value&apos;s JSON type.
        </span>
      ) : (
        <span className="block">
          A jq expression over the context, e.g.{" "}
          <code className="font-mono">.input.count &gt; 3</code>.
        </span>
      )}
      <span className="block">
        Available:{" "}
        {refs.map((r, i) => (
          <span key={r}>
            {i > 0 ? ", " : null}
            <code className="rounded bg-zinc-100 px-1 font-mono dark:bg-zinc-800">.{r}</code>
          </span>
        ))}
      </span>
    </span>
  );
}
