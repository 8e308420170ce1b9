import { Suspense } from "react";

import { ExecutionsPage } from "@/components/executions/ExecutionsPage";

export default function Executions() {
  return (
    <Suspense>
      <ExecutionsPage />
    </Suspense>
  );
}
