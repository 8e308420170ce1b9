import type { ExecutionEvent } from "@/api";

import { EventItem } from "./EventItem";

/** The ordered log of events received so far; new entries are announced politely. */
export function EventList({ events }: { events: readonly ExecutionEvent[] }) {
  return (
    <ol
      aria-label="Execution events"
      aria-live="polite"
      aria-relevant="additions"
      className="divide-y divide-zinc-200 dark:divide-zinc-800"
    >
      {events.map((ev) => (
        <EventItem key={ev.id !== "" ? ev.id : `${ev.type}-${ev.time}`} event={ev} />
      ))}
    </ol>
  );
}
