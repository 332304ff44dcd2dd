import { useRegister } from "@refinedev/core";
import { useForm } from "react-hook-form";
import { useSearchParams } from "react-router";

import type { components } from "../../api/schema";
import { Alert } from "../../components/Alert";
import { AuthCard } from "../../components/AuthCard";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import { showFieldErrors } from "../../lib/field-errors";

type AcceptInvitation = components["schemas"]["AcceptInvitationRequest"];

/** The page the invitation email opens: `/accept-invite?token=…`. */
export function AcceptInvitePage() {
  const [params] = useSearchParams();
  const token = params.get("token");
  const { register, handleSubmit, setError, formState } = useForm<AcceptInvitation>();
  const { mutate: accept, isPending } = useRegister<AcceptInvitation>();
  const errors = formState.errors;

  const submit = handleSubmit((values) =>
    accept(
      { ...values, token: token ?? "" },
      { onSuccess: (result) => showFieldErrors(result.error, setError) },
    ),
  );

  return (
    <AuthCard title="Join your team">
      {!token ? (
        <Alert tone="error">This link has no token. Open the link from the invitation email again.</Alert>
      ) : (
        <form className="flex flex-col gap-4" onSubmit={submit}>
          <p className="text-sm text-slate-600">
            New here? Give your name and choose a password. Already have an account? Enter its password.
          </p>
          <TextField label="Your name" autoComplete="name" error={errors.name?.message} {...register("name")} />
          <TextField
            label="Password"
            type="password"
            autoComplete="current-password"
            hint="At least 10 characters for a new account."
            error={errors.password?.message}
            {...register("password", { required: "Enter a password." })}
          />
          <Button type="submit" disabled={isPending}>
            Join
          </Button>
        </form>
      )}
    </AuthCard>
  );
}
