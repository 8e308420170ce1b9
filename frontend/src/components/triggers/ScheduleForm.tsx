"use client";

import { useState, type FormEvent } from "react";

import {
  ProblemError,
  useCreateSchedule,
  useSchedulePreview,
  useUpdateSchedule,
  type JsonObject,
  type JsonValue,
  type Schedule,
  type ScheduleCreate,
  type ScheduleMissed,
} from "@/api";
import { browserTimeZone } from "@/lib/timezones";

import { ProblemAlert } from "../ProblemAlert";
import { Field } from "../ui/Field";
import { Input } from "../ui/Input";
import { RadioCards } from "../ui/RadioCards";
import { JsonInput } from "../workflows/JsonInput";
import { CronExplanation } from "./CronExplanation";
import { fieldErrors } from "./fieldErrors";
import { MISSED_OPTIONS } from "./labels";
import { TimeZoneInput } from "./TimeZoneInput";
import { EnabledSwitch, FormActions } from "./TriggerFormParts";
import { useClock } from "./useClock";
import { useDebounced } from "./useDebounced";

/* The fields whose errors show beside them. */
const SHOWN = ["name", "cron", "timezone", "inputs"] as const;

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Adds a schedule to workflow "workflowId", or changes "schedule": a cron expression
 * explained live (POST /schedules/preview, 300 ms after the last key) with its next
 * five fire times, the time zone, the run's inputs, what to do after downtime, enabled.
 */
export function ScheduleForm({
  workflowId,
  schedule,
  onSaved,
  onCancel,
}: {
  workflowId: string;
  schedule: Schedule | null;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const create = useCreateSchedule(workflowId);
  const update = useUpdateSchedule(workflowId, true);
  const [name, setName] = useState(schedule?.name ?? "");
  const [cron, setCron] = useState(schedule?.cron ?? "");
  const [timezone, setTimezone] = useState(() => schedule?.timezone ?? browserTimeZone());
  const [inputs, setInputs] = useState<JsonValue | undefined>(schedule?.inputs ?? {});
  const [inputsError, setInputsError] = useState("");
  const [missed, setMissed] = useState<ScheduleMissed>(schedule?.missed ?? "run_once");
  const [enabled, setEnabled] = useState(schedule?.enabled ?? true);
  const now = useClock();

  // One string, so that the debounced value keeps its identity between renders.
  const typed = `${cron.trim()}\n${timezone.trim()}`;
  const settled = useDebounced(typed, 300);
  const [dCron = "", dZone = ""] = settled.split("\n");
  const debounced = { cron: dCron, timezone: dZone };
  const preview = useSchedulePreview(debounced.cron, debounced.timezone);
  const typing = settled !== typed;
  const previewProblem =
    preview.error instanceof ProblemError && preview.error.status === 422 ? preview.error : null;
  const previewErrors = typing ? {} : fieldErrors(previewProblem);

  const busy = create.isPending || update.isPending;
  const saveError = schedule === null ? create.error : update.error;
  const errors: Record<string, string> = { ...previewErrors, ...fieldErrors(saveError) };
  if (inputsError !== "") errors.inputs = inputsError;
  else if (inputs !== undefined && !isObject(inputs))
    errors.inputs = 'The inputs must be a JSON object, like {"name": "Ada"}.';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (inputsError !== "" || (inputs !== undefined && !isObject(inputs))) return;
    const body: ScheduleCreate = {
      name: name.trim(),
      cron: cron.trim(),
      timezone: timezone.trim() || "UTC",
      inputs: isObject(inputs) ? inputs : {},
      missed,
      enabled,
    };
    if (schedule === null) create.mutate(body, { onSuccess: onSaved });
    else update.mutate({ id: schedule.id, patch: body }, { onSuccess: onSaved });
  };

  const explainedFailed = !typing && Object.keys(previewErrors).length > 0;
  return (
    <form
      onSubmit={submit}
      aria-label={schedule === null ? "New schedule" : "Edit schedule"}
      className="space-y-5"
      noValidate
    >
      <Field id="sched-name" label="Name" hint="E.g. “Weekday digest”." error={errors.name}>
        <Input
          id="sched-name"
          value={name}
          maxLength={200}
          onChange={(e) => setName(e.target.value)}
          placeholder="Weekday digest"
        />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id="sched-cron"
          label="Cron expression"
          hint={
            <>
              minute hour day month weekday, e.g.{" "}
              <code className="font-mono whitespace-nowrap">0 9 * * 1-5</code>; or @hourly, @daily,
              @weekly
            </>
          }
          error={errors.cron}
        >
          <Input
            id="sched-cron"
            value={cron}
            required
            maxLength={128}
            onChange={(e) => setCron(e.target.value)}
            placeholder="0 9 * * 1-5"
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            aria-invalid={errors.cron !== undefined || undefined}
            aria-describedby="sched-cron-hint sched-cron-error"
          />
        </Field>
        <Field
          id="sched-tz"
          label="Time zone"
          hint="Type to search, e.g. Paris."
          error={errors.timezone}
        >
          <TimeZoneInput
            id="sched-tz"
            value={timezone}
            onChange={setTimezone}
            invalid={errors.timezone !== undefined}
            describedBy="sched-tz-hint sched-tz-error"
          />
        </Field>
      </div>
      {preview.isError && previewProblem === null && !typing ? (
        <ProblemAlert error={preview.error} context="Could not explain the expression" />
      ) : (
        <CronExplanation
          explained={debounced.cron === "" ? undefined : preview.data}
          timezone={debounced.timezone || "UTC"}
          busy={typing || preview.isFetching}
          failed={explainedFailed}
          now={now}
        />
      )}
      <Field
        id="sched-inputs"
        label="Inputs (JSON)"
        hint="What each run gets as its input, a JSON object."
        error={errors.inputs}
      >
        <JsonInput
          id="sched-inputs"
          value={inputs}
          onChange={setInputs}
          disabled={false}
          onError={setInputsError}
        />
      </Field>
      <RadioCards
        name="sched-missed"
        legend="Missed runs"
        value={missed}
        onChange={setMissed}
        options={MISSED_OPTIONS}
        columns={2}
      />
      <EnabledSwitch
        id="sched-enabled"
        checked={enabled}
        onChange={setEnabled}
        on="Runs at the times above."
        off="Paused: it does not run."
      />
      <FormActions
        error={saveError}
        shown={SHOWN}
        context="Could not save the schedule"
        onCancel={onCancel}
        busy={busy}
        submitLabel={schedule === null ? "Create schedule" : "Save schedule"}
      />
    </form>
  );
}
