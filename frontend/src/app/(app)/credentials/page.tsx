import { CredentialsPage } from "@/components/credentials/CredentialsPage";

export default function Credentials() {
  return <CredentialsPage />;
}
