import { useDelete, useGetIdentity } from "@refinedev/core";
import { useTable } from "@refinedev/react-table";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState } from "react";

import type { components } from "../../api/schema";
import { ConfirmButton } from "../../components/ConfirmButton";
import { DataTable } from "../../components/DataTable";
import { Page } from "../../components/Page";
import { SecretShownOnce } from "../../components/SecretShownOnce";
import { holds } from "../../lib/scopes";
import type { Identity } from "../../providers/auth";
import { CreateApiKeyForm } from "./CreateApiKeyForm";

type ApiKey = components["schemas"]["ApiKey"];
type CreatedApiKey = components["schemas"]["CreatedApiKey"];

const when = (value: string | null | undefined) => (value ? new Date(value).toLocaleString() : "—");

export function ApiKeysPage() {
  const { data: identity } = useGetIdentity<Identity>();
  const canManage = holds(identity, "api_keys:write");
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const { mutate: revoke } = useDelete();

  const columns = useMemo<ColumnDef<ApiKey>[]>(
    () => [
      { accessorKey: "name", header: "Name" },
      {
        accessorKey: "prefix",
        header: "Key",
        cell: ({ getValue }) => <code className="text-xs">{getValue<string>()}…</code>,
      },
      {
        accessorKey: "scopes",
        header: "Scopes",
        enableSorting: false,
        cell: ({ getValue }) => <span className="text-xs">{getValue<string[]>().join(", ")}</span>,
      },
      { accessorKey: "status", header: "Status" },
      { accessorKey: "last_used_at", header: "Last used", cell: ({ getValue }) => when(getValue<string | null>()) },
      { accessorKey: "created_at", header: "Created", cell: ({ getValue }) => when(getValue<string>()) },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableSorting: false,
        cell: ({ row: { original: key } }) =>
          canManage &&
          key.status === "active" && (
            <ConfirmButton
              label="Revoke"
              subject={`the key ${key.name}`}
              onConfirm={() => revoke({ resource: "api-keys", id: key.id })}
            />
          ),
      },
    ],
    [canManage, revoke],
  );

  const { reactTable, refineCore } = useTable<ApiKey>({
    columns,
    refineCoreProps: { resource: "api-keys" },
  });

  return (
    <Page title="API keys">
      <p className="text-sm text-slate-600">
        Scripts and integrations sign in with <code>Authorization: Bearer &lt;key&gt;</code>. A key holds the scopes it
        was created with.
      </p>
      {created && (
        <SecretShownOnce
          title={`Key “${created.name}” created`}
          secret={created.secret}
          note="Copy the key now: it will not be shown again."
          testId="api-key-secret"
          onDone={() => setCreated(null)}
        />
      )}
      <DataTable
        table={reactTable}
        caption="API keys of this agency"
        loading={refineCore.tableQuery.isLoading}
        error={refineCore.tableQuery.error?.message}
        empty="No API keys yet."
      />
      {canManage && identity && <CreateApiKeyForm scopes={identity.scopes} onCreated={setCreated} />}
    </Page>
  );
}
