"use client";

import { Button } from "../ui/Button";
import { CopyButton } from "../ui/CopyButton";
import { Input } from "../ui/Input";

/**
 * A webhook's new shared secret, the only time the API sends it: copy it, with a
 * plain warning that it will not be shown again; "Done" puts it away.
 */
export function OneTimeSecret({
  name,
  secret,
  onDone,
}: {
  name: string;
  secret: string;
  onDone: () => void;
}) {
  return (
    <section
      aria-label="Secret shown once"
      className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <h3 className="font-semibold">Copy the secret of “{name}” now</h3>
      <p className="mt-1">
        You won’t see it again: Fra-Gent keeps it encrypted and never shows it after this. If you
        lose it, rotate the secret to get a new one.
      </p>
      <div className="mt-3 flex gap-2">
        <Input
          readOnly
          aria-label="Webhook secret"
          value={secret}
          className="font-mono text-xs"
          onFocus={(e) => e.target.select()}
        />
        <CopyButton text={secret} label="Copy secret" className="h-9" />
      </div>
      <div className="mt-3 flex justify-end">
        <Button size="sm" variant="secondary" onClick={onDone}>
          I saved it
        </Button>
      </div>
    </section>
  );
}
