import { Suspense } from "react";

import { WorkflowEditorPage } from "@/components/workflows/WorkflowEditorPage";

export default function EditWorkflow() {
  return (
    <Suspense>
      <WorkflowEditorPage />
    </Suspense>
  );
}
