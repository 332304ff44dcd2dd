import { useDelete, useList } from "@refinedev/core";

import type { components } from "../../api/schema";
import { ConfirmButton } from "../../components/ConfirmButton";

type Invitation = components["schemas"]["Invitation"];

/** Invitations not accepted yet, oldest first; revoking one makes its link stop working. */
export function Invitations({ canManage }: { canManage: boolean }) {
  const { result, query } = useList<Invitation>({
    resource: "members/invitations",
    pagination: { mode: "off" },
  });
  const { mutate: revoke } = useDelete();
  const invitations = result.data;

  return (
    <section aria-labelledby="invitations-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="invitations-title" className="mb-3 text-lg font-semibold">
        Pending invitations
      </h2>
      {invitations.length === 0 ? (
        <p className="text-sm text-slate-500">{query.isLoading ? "Loading…" : "No pending invitations."}</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">
          {invitations.map((invitation) => (
            <li key={invitation.id} className="flex items-center justify-between gap-4 py-2">
              <span>
                <span className="font-medium">{invitation.email}</span>{" "}
                <span className="text-slate-500">
                  as {invitation.role}, until {new Date(invitation.expires_at).toLocaleDateString()}
                </span>
              </span>
              {canManage && (
                <ConfirmButton
                  label="Revoke"
                  subject={`the invitation of ${invitation.email}`}
                  onConfirm={() => revoke({ resource: "members/invitations", id: invitation.id })}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
