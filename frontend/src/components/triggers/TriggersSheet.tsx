"use client";

import { useState } from "react";

import { EmptyState } from "../EmptyState";
import { Button } from "../ui/Button";
import { Sheet } from "../ui/Sheet";
import { Tabs } from "../ui/Tabs";
import { SchedulesTab } from "./SchedulesTab";
import { WebhooksTab, type FreshSecret } from "./WebhooksTab";

/**
 * The workflow editor's triggers panel: what starts the workflow from outside, its
 * webhooks and its schedules, in tabs. A workflow never saved has no id yet: the
 * panel asks to save it first. Viewers see the lists without their edit actions.
 * The secrets this page saw made are kept while it is open (the test request reads
 * them); the one just made stays shown until put away.
 */
export function TriggersSheet({
  open,
  onOpenChange,
  workflowId,
  canEdit,
  dirty,
  saving,
  onSave,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  workflowId: string | null;
  canEdit: boolean;
  /** The editor has changes not saved: triggers run the saved version. */
  dirty: boolean;
  saving: boolean;
  onSave: () => void;
}) {
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [fresh, setFresh] = useState<FreshSecret | null>(null);
  const [tab, setTab] = useState("webhooks");
  const remember = (s: FreshSecret) => {
    setSecrets((cur) => ({ ...cur, [s.hookId]: s.secret }));
    setFresh(s);
  };
  const origin = typeof window === "undefined" ? "" : window.location.origin;

  return (
    <Sheet
      open={open}
      onOpenChange={onOpenChange}
      title="Triggers"
      description="Start this workflow from other services and on a schedule."
    >
      {workflowId === null ? (
        <EmptyState
          title="Save the workflow first"
          action={
            canEdit ? (
              <Button size="sm" onClick={onSave} loading={saving}>
                Save workflow
              </Button>
            ) : undefined
          }
        >
          Webhooks and schedules belong to a saved workflow. Save this one to add them.
        </EmptyState>
      ) : (
        <div className="space-y-3">
          {dirty && canEdit ? (
            <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:bg-amber-950/40 dark:text-amber-100">
              Triggers run the saved workflow: save your changes for them to take part.
            </p>
          ) : null}
          <Tabs
            label="Trigger kinds"
            value={tab}
            onValueChange={setTab}
            items={[
              {
                value: "webhooks",
                label: "Webhooks",
                content: (
                  <WebhooksTab
                    workflowId={workflowId}
                    canEdit={canEdit}
                    origin={origin}
                    secrets={secrets}
                    fresh={fresh}
                    onSecret={remember}
                    onFreshDone={() => setFresh(null)}
                  />
                ),
              },
              {
                value: "schedules",
                label: "Schedules",
                content: <SchedulesTab workflowId={workflowId} canEdit={canEdit} />,
              },
            ]}
          />
        </div>
      )}
    </Sheet>
  );
}
