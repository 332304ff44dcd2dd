import type { HttpError } from "@refinedev/core";
import { useForm } from "@refinedev/react-hook-form";

import type { components } from "../../api/schema";
import { Button } from "../../components/Button";
import { SelectField, TextField } from "../../components/Field";
import { INVITED_ROLES } from "./roles";

type CreateInvitation = components["schemas"]["CreateInvitationRequest"];

/** Invites someone by email; the server's field errors (a bad address) show under the field. */
export function InviteForm() {
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors },
    refineCore: { onFinish, formLoading },
  } = useForm<CreateInvitation, HttpError, CreateInvitation>({
    defaultValues: { email: "", role: "member" },
    refineCoreProps: {
      resource: "members/invitations",
      action: "create",
      redirect: false,
      successNotification: { type: "success", message: "Invitation sent." },
      onMutationSuccess: () => reset(),
    },
  });

  return (
    <section aria-labelledby="invite-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="invite-title" className="mb-3 text-lg font-semibold">
        Invite a member
      </h2>
      <form className="flex flex-wrap items-start gap-4" onSubmit={handleSubmit(onFinish)}>
        <div className="min-w-64 flex-1">
          <TextField
            label="Email"
            type="email"
            error={errors.email?.message}
            {...register("email", { required: "Enter the address to invite." })}
          />
        </div>
        <SelectField label="Role" options={INVITED_ROLES} error={errors.role?.message} {...register("role")} />
        <Button type="submit" className="mt-6" disabled={formLoading}>
          Send invitation
        </Button>
      </form>
    </section>
  );
}
