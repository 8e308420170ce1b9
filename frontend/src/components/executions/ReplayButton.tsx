"use client";

// The run view's "Replay" button: an exact, offline replay of an ended run.

import { useRouter } from "next/navigation";

import { toProblem, useReplayExecution } from "@/api";
import { toast } from "@/store/toastStore";

import { Button } from "../ui/Button";

/** Replays run "executionId" with its recorded answers ({}), then opens the replay. */
export function ReplayButton({ executionId }: { executionId: string }) {
  const router = useRouter();
  const replay = useReplayExecution();
  return (
    <Button
      variant="secondary"
      size="sm"
      loading={replay.isPending}
      title="Run it again with the recorded model and HTTP answers, without calling out"
      onClick={() =>
        replay.mutate(
          { executionId, body: {} },
          {
            onSuccess: (next) => router.push(`/executions/view/?id=${encodeURIComponent(next.id)}`),
            onError: (e) => {
              const p = toProblem(e);
              toast({ kind: "error", title: "Replay not started", detail: p.detail || p.title });
            },
          },
        )
      }
    >
      Replay
    </Button>
  );
}
