import { useUpdatePassword } from "@refinedev/core";
import { useForm } from "react-hook-form";
import { Link, useSearchParams } from "react-router";

import { Alert } from "../../components/Alert";
import { AuthCard } from "../../components/AuthCard";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import { showFieldErrors } from "../../lib/field-errors";
import type { ResetPasswordParams } from "../../providers/auth";

interface ResetForm {
  new_password: string;
}

/** The page the emailed link opens: `/reset-password?token=…`. */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get("token");
  const { register, handleSubmit, setError, formState } = useForm<ResetForm>();
  const { mutate: reset, isPending, data } = useUpdatePassword<ResetPasswordParams>();

  const submit = handleSubmit(({ new_password }) =>
    reset(
      { token: token ?? "", password: new_password },
      { onSuccess: (result) => showFieldErrors(result.error, setError) },
    ),
  );

  return (
    <AuthCard
      title="Choose a new password"
      footer={
        <Link to="/forgot-password" className="text-indigo-700 hover:underline">
          Ask for a new link
        </Link>
      }
    >
      {!token ? (
        <Alert tone="error">This link has no token. Open the link from the email again.</Alert>
      ) : (
        <form className="flex flex-col gap-4" onSubmit={submit}>
          {data && !data.success && data.error && <Alert tone="error">{data.error.message}</Alert>}
          <TextField
            label="New password"
            type="password"
            autoComplete="new-password"
            hint="10 to 128 characters."
            error={formState.errors.new_password?.message}
            {...register("new_password", { required: "Choose a password." })}
          />
          <Button type="submit" disabled={isPending}>
            Set the password
          </Button>
        </form>
      )}
    </AuthCard>
  );
}
