import { useRegister } from "@refinedev/core";
import { useForm } from "react-hook-form";
import { Link } from "react-router";

import type { components } from "../../api/schema";
import { AuthCard } from "../../components/AuthCard";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import { showFieldErrors } from "../../lib/field-errors";

type RegisterRequest = components["schemas"]["RegisterRequest"];

export function RegisterPage() {
  const { register, handleSubmit, setError, formState } = useForm<RegisterRequest>();
  const { mutate: signUp, isPending } = useRegister<RegisterRequest>();
  const errors = formState.errors;

  const submit = handleSubmit((values) =>
    signUp(values, { onSuccess: (result) => showFieldErrors(result.error, setError) }),
  );

  return (
    <AuthCard
      title="Create your agency's account"
      footer={
        <Link to="/login" className="text-indigo-700 hover:underline">
          Already have an account? Sign in
        </Link>
      }
    >
      <form className="flex flex-col gap-4" onSubmit={submit}>
        <TextField
          label="Agency name"
          error={errors.tenant_name?.message}
          {...register("tenant_name", { required: "Name your agency." })}
        />
        <TextField
          label="Agency address"
          hint="Lower-case letters, digits and dashes, e.g. acme-sales."
          error={errors.tenant_slug?.message}
          {...register("tenant_slug", { required: "Choose an address." })}
        />
        <TextField
          label="Your name"
          autoComplete="name"
          error={errors.name?.message}
          {...register("name", { required: "Enter your name." })}
        />
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          error={errors.email?.message}
          {...register("email", { required: "Enter your email." })}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          hint="10 to 128 characters."
          error={errors.password?.message}
          {...register("password", { required: "Choose a password." })}
        />
        <Button type="submit" disabled={isPending}>
          {isPending ? "Creating…" : "Create account"}
        </Button>
      </form>
    </AuthCard>
  );
}
