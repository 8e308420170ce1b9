"use client";

import { useMe } from "@/api";

import { PageHeader } from "../PageHeader";
import { Card } from "../ui/Card";
import { Tabs } from "../ui/Tabs";
import { ApiKeysPanel } from "./ApiKeysPanel";
import { OperatorSettingsPanel } from "./OperatorSettingsPanel";
import { UsersPanel } from "./UsersPanel";

/** Admins: users and roles, API keys and the operator settings in force; everyone else:
 * their API keys. */
export function SettingsPage() {
  const me = useMe();
  const admin = me.data?.role === "admin";
  return (
    <div className="mx-auto max-w-6xl space-y-6 p-6">
      <PageHeader
        title={admin ? "Settings" : "API keys"}
        description={
          admin
            ? "Who can sign in, with which role, keys for REST clients, and the server's settings."
            : "Keys for REST clients."
        }
      />
      <Card className="p-5">
        {admin ? (
          <Tabs
            label="Settings sections"
            items={[
              { value: "users", label: "Users and roles", content: <UsersPanel /> },
              { value: "keys", label: "API keys", content: <ApiKeysPanel /> },
              { value: "server", label: "Server", content: <OperatorSettingsPanel /> },
            ]}
          />
        ) : (
          <ApiKeysPanel />
        )}
      </Card>
    </div>
  );
}
