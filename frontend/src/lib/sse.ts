/**
 * Incremental parser for the Server-Sent Events wire format (text/event-stream).
 *
 * Pure: feed it the text decoded so far and the state it returned last time; it
 * returns the complete frames found and the state to keep. Follows the WHATWG
 * rules: lines end in CRLF, LF or CR; a line starting with ":" is a comment; a
 * field value loses one leading space; a blank line dispatches the frame; a frame
 * with no data lines is dropped, but its "id" still moves the last event id.
 */

/** One dispatched frame. */
export interface SseFrame {
  /** The "id" in force when the frame was dispatched (may come from an earlier frame). */
  readonly id: string;
  /** The "event" field, or "message" when the frame had none. */
  readonly event: string;
  /** The "data" lines joined with "\n". */
  readonly data: string;
  /** The "retry" field in milliseconds, when the frame carried a valid one. */
  readonly retry?: number;
}

/** What the parser keeps between calls. Start from {@link sseInitialState}. */
export interface SseState {
  /** Unterminated text left over from the previous chunk. */
  readonly rest: string;
  /** Last event id seen; survives across frames as the spec requires. */
  readonly lastEventId: string;
  /** Fields of the frame being built. */
  readonly event: string;
  readonly dataLines: readonly string[];
  readonly retry: number | undefined;
}

export const sseInitialState = (lastEventId = ""): SseState => ({
  rest: "",
  lastEventId,
  event: "",
  dataLines: [],
  retry: undefined,
});

export interface SseParseResult {
  readonly frames: SseFrame[];
  readonly state: SseState;
}

/* Matches one complete line and its terminator. A lone CR at the very end of the
 * buffer is left unmatched because the LF of a CRLF may still be on its way. */
const LINE = /([^\r\n]*)(\r\n|\n|\r(?!$))/y;

/**
 * Parses "chunk" (already decoded text) appended to what "state" kept.
 * Returns the frames completed by this chunk, in order, and the new state.
 */
export function sseParse(state: SseState, chunk: string): SseParseResult {
  const text = state.rest + chunk;
  const frames: SseFrame[] = [];
  let { lastEventId, event, retry } = state;
  let dataLines = [...state.dataLines];
  let pos = 0;

  LINE.lastIndex = 0;
  for (let m = LINE.exec(text); m !== null; m = LINE.exec(text)) {
    pos = LINE.lastIndex;
    const line = m[1] ?? "";

    if (line === "") {
      if (dataLines.length > 0) {
        frames.push({
          id: lastEventId,
          event: event === "" ? "message" : event,
          data: dataLines.join("\n"),
          ...(retry !== undefined ? { retry } : {}),
        });
      }
      event = "";
      dataLines = [];
      retry = undefined;
      continue;
    }
    if (line.startsWith(":")) continue;

    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);

    switch (field) {
      case "event":
        event = value;
        break;
      case "data":
        dataLines.push(value);
        break;
      case "id":
        if (!value.includes("\0")) lastEventId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) retry = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  return {
    frames,
    state: { rest: text.slice(pos), lastEventId, event, dataLines, retry },
  };
}
