import { AgentsPage } from "@/components/agents/AgentsPage";

export default function Agents() {
  return <AgentsPage />;
}
