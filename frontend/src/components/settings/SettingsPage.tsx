"use client";

import { useRouter, useSearchParams } from "next/navigation";

import { useMe } from "@/api";

import { PageHeader } from "../PageHeader";
import { Card } from "../ui/Card";
import { Tabs } from "../ui/Tabs";
import { ApiKeysPanel } from "./ApiKeysPanel";
import { ModelPricesPanel } from "./ModelPricesPanel";
import { OperatorSettingsPanel } from "./OperatorSettingsPanel";
import { UsersPanel } from "./UsersPanel";

const TABS = ["users", "keys", "prices", "server"];

/** Admins: users and roles, API keys, model prices and the operator settings in force (the
 * tab in ?tab=; ?model= starts a price for that model); everyone else: their API keys. */
export function SettingsPage() {
  const me = useMe();
  const admin = me.data?.role === "admin";
  const params = useSearchParams();
  const router = useRouter();
  const rawTab = params.get("tab") ?? "";
  const tab = TABS.includes(rawTab) ? rawTab : "users";
  return (
    <div className="mx-auto max-w-6xl space-y-6 p-6">
      <PageHeader
        title={admin ? "Settings" : "API keys"}
        description={
          admin
            ? "Who can sign in, with which role, keys for REST clients, model prices, and the server's settings."
            : "Keys for REST clients."
        }
      />
      <Card className="p-5">
        {admin ? (
          <Tabs
            label="Settings sections"
            value={tab}
            onValueChange={(v) =>
              router.replace(v === "users" ? "/settings/" : `/settings/?tab=${v}`)
            }
            items={[
              { value: "users", label: "Users and roles", content: <UsersPanel /> },
              { value: "keys", label: "API keys", content: <ApiKeysPanel /> },
              {
                value: "prices",
                label: "Model prices",
                content: <ModelPricesPanel newModel={params.get("model") ?? ""} />,
              },
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
