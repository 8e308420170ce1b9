import { ApprovalsPage } from "@/components/approvals/ApprovalsPage";

export default function Approvals() {
  return <ApprovalsPage />;
}
