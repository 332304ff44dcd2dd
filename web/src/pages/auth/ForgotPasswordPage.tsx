import { useForgotPassword } from "@refinedev/core";
import { useForm } from "react-hook-form";
import { Link } from "react-router";

import { Alert } from "../../components/Alert";
import { AuthCard } from "../../components/AuthCard";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import { showFieldErrors } from "../../lib/field-errors";

interface ForgotForm {
  email: string;
}

export function ForgotPasswordPage() {
  const { register, handleSubmit, setError, formState } = useForm<ForgotForm>();
  const { mutate: forgot, isPending, data } = useForgotPassword<ForgotForm>();

  const submit = handleSubmit((values) =>
    forgot(values, { onSuccess: (result) => showFieldErrors(result.error, setError) }),
  );

  return (
    <AuthCard
      title="Reset your password"
      footer={
        <Link to="/login" className="text-indigo-700 hover:underline">
          Back to sign in
        </Link>
      }
    >
      {data?.success ? (
        <Alert tone="success">{data.successNotification?.message}</Alert>
      ) : (
        <form className="flex flex-col gap-4" onSubmit={submit}>
          <p className="text-sm text-slate-600">We will email you a link to choose a new password.</p>
          <TextField
            label="Email"
            type="email"
            autoComplete="email"
            error={formState.errors.email?.message}
            {...register("email", { required: "Enter your email." })}
          />
          <Button type="submit" disabled={isPending}>
            Send the link
          </Button>
        </form>
      )}
    </AuthCard>
  );
}
