import type { HttpError } from "@refinedev/core";
import { useForm } from "@refinedev/react-hook-form";

import type { components } from "../../api/schema";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";

type CreatedApiKey = components["schemas"]["CreatedApiKey"];
type CreateApiKey = components["schemas"]["CreateApiKeyRequest"];

interface CreateApiKeyFormProps {
  /** The scopes the signed-in user holds: a key may hold only those. */
  scopes: string[];
  onCreated: (key: CreatedApiKey) => void;
}

export function CreateApiKeyForm({ scopes, onCreated }: CreateApiKeyFormProps) {
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors },
    refineCore: { onFinish, formLoading },
  } = useForm<CreatedApiKey, HttpError, CreateApiKey>({
    defaultValues: { name: "", scopes: [], expires_at: null },
    refineCoreProps: {
      resource: "api-keys",
      action: "create",
      redirect: false,
      successNotification: false,
      onMutationSuccess: ({ data }) => {
        reset();
        onCreated(data);
      },
    },
  });

  return (
    <section aria-labelledby="create-key-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="create-key-title" className="mb-3 text-lg font-semibold">
        Create an API key
      </h2>
      <form className="flex flex-col gap-4" onSubmit={handleSubmit(onFinish)}>
        <TextField
          label="Name"
          hint="What the key is for, e.g. CRM sync."
          error={errors.name?.message}
          {...register("name", { required: "Name the key." })}
        />
        <fieldset aria-describedby={errors.scopes ? "scopes-error" : undefined}>
          <legend className="text-sm font-medium text-slate-700">Scopes</legend>
          <div className="mt-1 grid grid-cols-2 gap-1 sm:grid-cols-4">
            {scopes.map((scope) => (
              <label key={scope} className="flex items-center gap-2 text-sm">
                <input type="checkbox" value={scope} {...register("scopes", { required: "Choose at least one scope." })} />
                <code>{scope}</code>
              </label>
            ))}
          </div>
          {errors.scopes && (
            <p id="scopes-error" role="alert" className="mt-1 text-sm text-red-700">
              {errors.scopes.message}
            </p>
          )}
        </fieldset>
        <TextField
          label="Expires (optional)"
          type="datetime-local"
          error={errors.expires_at?.message}
          {...register("expires_at", {
            // The input gives local time without a zone; the API wants RFC 3339, or null for never.
            setValueAs: (local: string) => (local ? new Date(local).toISOString() : null),
          })}
        />
        <div>
          <Button type="submit" disabled={formLoading}>
            Create key
          </Button>
        </div>
      </form>
    </section>
  );
}
