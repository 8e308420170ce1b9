import { WorkflowsPage } from "@/components/workflows/WorkflowsPage";

export default function Workflows() {
  return <WorkflowsPage />;
}
