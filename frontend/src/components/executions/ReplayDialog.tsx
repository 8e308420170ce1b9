"use client";

// "Replay from here…": re-runs an ended run from one step, with other inputs or the latest
// saved definition, calling out only where a request differs from the recording.

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import { useReloadWorkflow, useReplayExecution, type JsonValue } from "@/api";
import { parseInputs, replayRequest } from "@/lib/replay";

import { ProblemAlert } from "../ProblemAlert";
import { Button } from "../ui/Button";
import { CheckboxField } from "../ui/CheckboxField";
import { Dialog } from "../ui/Dialog";
import { Field } from "../ui/Field";
import { Textarea } from "../ui/Textarea";

export interface ReplayDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  executionId: string;
  /** The run's workflow, whose latest saved definition may be used; null for a chat. */
  workflowId: string | null;
  fromNode: string;
  /** The run's inputs, to prefill the editor and to tell whether they changed. */
  inputs: JsonValue | undefined;
}

const pretty = (v: JsonValue | undefined) => JSON.stringify(v ?? {}, null, 2);

/**
 * Asks how to replay from step "fromNode", starts the replay and opens it. Mount it when it
 * opens, so that each opening starts from the run's inputs.
 */
export function ReplayDialog({
  open,
  onOpenChange,
  executionId,
  workflowId,
  fromNode,
  inputs,
}: ReplayDialogProps) {
  const router = useRouter();
  const replay = useReplayExecution();
  const reloadWorkflow = useReloadWorkflow();
  const [text, setText] = useState(() => pretty(inputs));
  const [latest, setLatest] = useState(false);
  const [offline, setOffline] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const parsed = parseInputs(text);
  const inputError = "error" in parsed ? parsed.error : "";

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!("value" in parsed)) return;
    setLoading(true);
    setError(null);
    try {
      const definition =
        latest && workflowId !== null ? (await reloadWorkflow(workflowId)).definition : null;
      const body = replayRequest({
        fromNode,
        inputs: parsed.value,
        original: inputs,
        definition,
        offline,
      });
      const next = await replay.mutateAsync({ executionId, body });
      onOpenChange(false);
      router.push(`/executions/view/?id=${encodeURIComponent(next.id)}`);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      wide
      title="Replay from here"
      description={
        <>
          Runs again from step <code className="font-mono">{fromNode}</code>: the steps before it
          keep their outputs, and a step calls out only when its request differs from the recording.
        </>
      }
    >
      <form onSubmit={(e) => void submit(e)} className="space-y-4">
        {workflowId !== null ? (
          <CheckboxField
            id="replay-latest"
            label="Use the workflow's latest saved definition"
            hint="Otherwise the definition the run used."
            checked={latest}
            onCheckedChange={setLatest}
          />
        ) : null}
        <Field
          id="replay-inputs"
          label="Inputs"
          hint="The run's inputs, as JSON; sent only when changed."
          error={inputError}
        >
          <Textarea
            id="replay-inputs"
            mono
            rows={8}
            value={text}
            onChange={(e) => setText(e.target.value)}
            spellCheck={false}
            aria-invalid={inputError !== "" || undefined}
            aria-describedby={`replay-inputs-hint${inputError !== "" ? " replay-inputs-error" : ""}`}
          />
        </Field>
        <CheckboxField
          id="replay-offline"
          label="Offline (never call out)"
          hint="A step whose request is not in the recording then fails."
          checked={offline}
          onCheckedChange={setOffline}
        />
        {error !== null ? (
          <ProblemAlert error={error} context="The replay was not started" />
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" loading={loading} disabled={inputError !== ""}>
            Start replay
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
