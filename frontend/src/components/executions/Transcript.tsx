import type { JsonValue } from "@/api";
import { formatJson } from "@/lib/format";

/* A message's role and text, or null when "m" does not look like one. */
function asMessage(m: JsonValue): { role: string; text: string; tools: string[] } | null {
  if (typeof m !== "object" || m === null || Array.isArray(m)) return null;
  const role = typeof m.role === "string" ? m.role : typeof m.type === "string" ? m.type : "";
  const content = m.content ?? m.text ?? m.result ?? null;
  const calls = Array.isArray(m.tool_calls) ? m.tool_calls : [];
  const tools = calls.map((c) => {
    if (typeof c !== "object" || c === null || Array.isArray(c)) return formatJson(c);
    const fn =
      typeof c.function === "object" && c.function !== null && !Array.isArray(c.function)
        ? c.function
        : c;
    const name = typeof fn.name === "string" ? fn.name : "tool";
    return `${name}(${typeof fn.arguments === "string" ? fn.arguments : formatJson(fn.arguments ?? fn.input ?? null)})`;
  });
  if (role === "" && content === null && tools.length === 0) return null;
  return { role: role || "message", text: content === null ? "" : formatJson(content), tools };
}

/** An agent's conversation: messages and the tool calls it made. */
export function Transcript({ messages }: { messages: readonly JsonValue[] }) {
  return (
    <ol aria-label="Agent transcript" className="space-y-2">
      {messages.map((m, i) => {
        const msg = asMessage(m);
        return (
          <li
            key={i}
            className="rounded-lg border border-zinc-200 p-2 text-sm dark:border-zinc-800"
          >
            <p className="text-xs font-semibold text-zinc-500 uppercase dark:text-zinc-400">
              {msg?.role ?? "entry"}
            </p>
            {msg === null ? (
              <pre className="mt-1 overflow-auto font-mono text-xs whitespace-pre-wrap">
                {formatJson(m)}
              </pre>
            ) : (
              <>
                {msg.text !== "" ? (
                  <p className="mt-1 whitespace-pre-wrap wrap-anywhere">{msg.text}</p>
                ) : null}
                {msg.tools.map((t) => (
                  <p
                    key={t}
                    className="mt-1 rounded bg-amber-50 px-1.5 py-0.5 font-mono text-xs wrap-anywhere dark:bg-amber-950/40"
                  >
                    Tool call: {t}
                  </p>
                ))}
              </>
            )}
          </li>
        );
      })}
    </ol>
  );
}
