import { WorkflowsPage } from "@/components/WorkflowsPage";

export default function HomePage() {
  return <WorkflowsPage />;
}
