import { useLogin } from "@refinedev/core";
import { useForm } from "react-hook-form";
import { Link } from "react-router";

import { AuthCard } from "../../components/AuthCard";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import type { LoginParams } from "../../providers/auth";

export function LoginPage() {
  const { register, handleSubmit, formState } = useForm<LoginParams>();
  const { mutate: login, isPending } = useLogin<LoginParams>();

  return (
    <AuthCard
      title="Sign in"
      footer={
        <>
          <Link to="/forgot-password" className="text-indigo-700 hover:underline">
            Forgot your password?
          </Link>
          <Link to="/register" className="text-indigo-700 hover:underline">
            Create an account
          </Link>
        </>
      }
    >
      <form className="flex flex-col gap-4" onSubmit={handleSubmit((values) => login(values))}>
        <TextField
          label="Email"
          type="email"
          autoComplete="username"
          error={formState.errors.email?.message}
          {...register("email", { required: "Enter your email." })}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          error={formState.errors.password?.message}
          {...register("password", { required: "Enter your password." })}
        />
        <Button type="submit" disabled={isPending}>
          {isPending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
    </AuthCard>
  );
}
