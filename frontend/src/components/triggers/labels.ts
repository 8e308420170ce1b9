/** The words the triggers panel uses for the webhook and schedule options. */

import type { ScheduleMissed, WebhookAuthMode, WebhookResponseMode } from "@/api";

import type { RadioCardOption } from "../ui/RadioCards";

export const AUTH_OPTIONS: readonly RadioCardOption<WebhookAuthMode>[] = [
  {
    value: "none",
    label: "None",
    description: "Anyone who has the URL can call it: the URL is the secret.",
  },
  {
    value: "secret",
    label: "Shared secret",
    description: "Callers send the secret in the X-Fragent-Secret header.",
  },
  {
    value: "hmac",
    label: "HMAC signature",
    description:
      "Callers sign a timestamp and the body with the secret (X-Fragent-Signature); replays are refused.",
  },
];

export const RESPONSE_OPTIONS: readonly RadioCardOption<WebhookResponseMode>[] = [
  {
    value: "async",
    label: "At once (async)",
    description: "Answers 202 with the execution’s id; the run goes on.",
  },
  {
    value: "sync",
    label: "With the result (sync)",
    description: "Waits for the run and answers with its result or a Respond node’s answer.",
  },
];

export const MISSED_OPTIONS: readonly RadioCardOption<ScheduleMissed>[] = [
  {
    value: "run_once",
    label: "Run once",
    description: "After downtime, fires once for everything it missed.",
  },
  {
    value: "skip",
    label: "Skip",
    description: "After downtime, waits for the next fire time.",
  },
];

export const AUTH_SHORT: Record<WebhookAuthMode, string> = {
  none: "No auth",
  secret: "Secret",
  hmac: "HMAC",
};

export const RESPONSE_SHORT: Record<WebhookResponseMode, string> = {
  async: "Async",
  sync: "Sync",
};
