/* NavIcon: the sidebar's line icons, one per section. */
import { StrokeIcon } from "../ui/StrokeIcon";

const PATHS = {
  dashboard: "M3 3h7v9H3zM14 3h7v5h-7zM14 12h7v9h-7zM3 16h7v5H3z",
  workflows:
    "M5 3a2 2 0 1 1 0 4 2 2 0 0 1 0-4zM19 17a2 2 0 1 1 0 4 2 2 0 0 1 0-4zM7 5h6a3 3 0 0 1 3 3v9M5 7v10h12",
  agents: "M12 3l2.2 5.3L20 9l-4.4 3.8L17 19l-5-3-5 3 1.4-6.2L4 9l5.8-.7z",
  executions: "M7 4l13 8-13 8z",
  approvals: "M8.5 12.5l2.5 2.5 5-5.5M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18z",
  credentials: "M15 3a6 6 0 1 1-5.2 9L3 18.8V21h3v-2h2v-2h2l1.9-1.9A6 6 0 0 1 15 3zM16.5 6.5h.01",
  settings:
    "M12 9a3 3 0 1 1 0 6 3 3 0 0 1 0-6zM19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z",
} as const;

export type NavIconName = keyof typeof PATHS;

/** A decorative line icon for the sidebar. */
export function NavIcon({ name }: { name: NavIconName }) {
  return <StrokeIcon d={PATHS[name]} />;
}
