import { Suspense } from "react";

import { AgentEditorPage } from "@/components/agents/AgentEditorPage";

export default function EditAgent() {
  return (
    <Suspense>
      <AgentEditorPage />
    </Suspense>
  );
}
