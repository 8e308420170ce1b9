import { DashboardPage } from "@/components/dashboard/DashboardPage";

export default function Home() {
  return <DashboardPage />;
}
