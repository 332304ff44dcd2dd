import { useDelete, useGetIdentity, useUpdate } from "@refinedev/core";
import { useTable } from "@refinedev/react-table";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";

import type { components } from "../../api/schema";
import { ConfirmButton } from "../../components/ConfirmButton";
import { DataTable } from "../../components/DataTable";
import { Page } from "../../components/Page";
import { holds } from "../../lib/scopes";
import type { Identity } from "../../providers/auth";
import { Invitations } from "./Invitations";
import { InviteForm } from "./InviteForm";
import { ROLES, type Role } from "./roles";

type Member = components["schemas"]["Member"];

export function MembersPage() {
  const { data: identity } = useGetIdentity<Identity>();
  const canManage = holds(identity, "members:write");
  const { mutate: update } = useUpdate();
  const { mutate: remove } = useDelete();

  const columns = useMemo<ColumnDef<Member>[]>(() => {
    const changeRole = (member: Member, role: Role) =>
      update({
        resource: "members",
        id: member.user_id,
        values: { role },
        successNotification: { type: "success", message: `${member.name} is now ${role}.` },
      });
    return [
      { accessorKey: "name", header: "Name" },
      { accessorKey: "email", header: "Email" },
      {
        accessorKey: "role",
        header: "Role",
        cell: ({ row: { original: member } }) =>
          canManage && member.user_id !== identity?.id ? (
            <select
              aria-label={`Role of ${member.name}`}
              className="rounded-md border border-slate-300 px-2 py-1"
              value={member.role}
              onChange={(event) => changeRole(member, event.target.value as Role)}
            >
              {ROLES.map((role) => (
                <option key={role}>{role}</option>
              ))}
            </select>
          ) : (
            member.role
          ),
      },
      {
        accessorKey: "joined_at",
        header: "Joined",
        cell: ({ getValue }) => new Date(getValue<string>()).toLocaleDateString(),
      },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableSorting: false,
        cell: ({ row: { original: member } }) =>
          canManage &&
          member.user_id !== identity?.id && (
            <ConfirmButton
              label="Remove"
              subject={member.name}
              onConfirm={() => remove({ resource: "members", id: member.user_id })}
            />
          ),
      },
    ];
  }, [canManage, identity?.id, update, remove]);

  const { reactTable, refineCore } = useTable<Member>({
    columns,
    getRowId: (member) => member.user_id,
    refineCoreProps: { resource: "members" },
  });

  return (
    <Page title="Members">
      <DataTable
        table={reactTable}
        caption="Members of this agency"
        loading={refineCore.tableQuery.isLoading}
        error={refineCore.tableQuery.error?.message}
        empty="No members."
      />
      {canManage && <InviteForm />}
      <Invitations canManage={canManage} />
    </Page>
  );
}
