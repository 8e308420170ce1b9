import { Suspense } from "react";

import { ExecutionMonitorPage } from "@/components/executions/ExecutionMonitorPage";

export default function ViewExecution() {
  return (
    <Suspense>
      <ExecutionMonitorPage />
    </Suspense>
  );
}
