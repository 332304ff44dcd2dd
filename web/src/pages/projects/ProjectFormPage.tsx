// Creating and editing a project. The slug follows the name until it is typed by hand; the
// server's 422 field errors (and the 409 of a slug already used) show next to their fields.
import { useGo, type HttpError } from "@refinedev/core";
import { useForm } from "@refinedev/react-hook-form";
import { useState } from "react";
import { Link, useParams } from "react-router";

import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { Field, SelectField, TextField } from "../../components/Field";
import { Page } from "../../components/Page";
import {
  EMPTY_PROJECT_FORM,
  formToProject,
  PROJECT_STATUSES,
  slugify,
  type Project,
  type ProjectForm,
} from "../../lib/projects";

const CONTROL = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-xs aria-invalid:border-red-600";

/** The IANA zones this browser knows, offered as suggestions (the server checks the zone). */
const TIME_ZONES: readonly string[] = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];

export function ProjectCreatePage() {
  return <ProjectFormScreen action="create" />;
}

export function ProjectEditPage() {
  const { id } = useParams();
  return <ProjectFormScreen action="edit" id={id} />;
}

function ProjectFormScreen({ action, id }: { action: "create" | "edit"; id?: string | undefined }) {
  const go = useGo();
  const [slugTyped, setSlugTyped] = useState(action === "edit");
  const {
    register,
    handleSubmit,
    setValue,
    formState: { errors },
    refineCore: { onFinish, formLoading, query },
  } = useForm<Project, HttpError, ProjectForm>({
    defaultValues: EMPTY_PROJECT_FORM,
    refineCoreProps: {
      resource: "projects",
      action,
      id,
      redirect: false,
      // The form is not refilled under the user's hands by a change made elsewhere.
      liveMode: "off",
      successNotification: () => ({ type: "success", message: action === "create" ? "Project created." : "Project saved." }),
      errorNotification: (error) => ({ type: "error", message: error?.message ?? "The project was not saved." }),
      onMutationSuccess: ({ data }) => go({ to: `/projects/${data.id}` }),
    },
  });
  const project = query?.data?.data;

  const submit = (values: ProjectForm) =>
    onFinish(formToProject(values) as unknown as ProjectForm).catch(() => undefined);

  const name = register("name", { required: "Give the project a name." });
  const slug = register("slug", { required: "Give the project a slug." });

  if (action === "edit" && query?.error) {
    return (
      <Page title="Edit project">
        <Alert tone="error">{query.error.message}</Alert>
      </Page>
    );
  }

  return (
    <Page title={action === "create" ? "New project" : project ? `Edit ${project.name}` : "Edit project"}>
      <form className="grid max-w-3xl grid-cols-1 gap-4 sm:grid-cols-2" onSubmit={handleSubmit(submit)} noValidate>
        <TextField
          label="Name"
          error={errors.name?.message}
          {...name}
          onChange={(e) => {
            void name.onChange(e);
            if (!slugTyped) setValue("slug", slugify(e.target.value));
          }}
        />
        <TextField
          label="Slug"
          hint="Lower-case words joined by dashes, unique among your projects: fashion-shop."
          error={errors.slug?.message}
          {...slug}
          onChange={(e) => {
            setSlugTyped(true);
            void slug.onChange(e);
          }}
        />
        <TextField label="Client" error={errors.client_name?.message} {...register("client_name")} />
        <SelectField label="Status" error={errors.status?.message} options={PROJECT_STATUSES} {...register("status")} />
        <div className="sm:col-span-2">
          <Field label="Description" error={errors.description?.message}>
            {(control) => <textarea rows={3} className={CONTROL} {...control} {...register("description")} />}
          </Field>
        </div>
        <TextField
          label="Time zone"
          hint="IANA name, e.g. Europe/Bucharest: the project's schedules and reports use it."
          list="time-zones"
          autoComplete="off"
          error={errors.timezone?.message}
          {...register("timezone")}
        />
        <datalist id="time-zones">
          {TIME_ZONES.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        <div className="grid grid-cols-[1fr_7rem] gap-3">
          <TextField
            label="Monthly budget"
            inputMode="decimal"
            hint="Empty: no budget and no budget alerts."
            error={errors.budget_amount?.message}
            {...register("budget_amount")}
          />
          <TextField
            label="Currency"
            maxLength={3}
            hint="ISO code."
            error={errors.budget_currency?.message}
            {...register("budget_currency")}
          />
        </div>
        <div className="flex gap-2 sm:col-span-2">
          <Button type="submit" disabled={formLoading}>
            {action === "create" ? "Create project" : "Save"}
          </Button>
          <Link
            to={id ? `/projects/${id}` : "/projects"}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium shadow-xs hover:bg-slate-100"
          >
            Cancel
          </Link>
        </div>
      </form>
    </Page>
  );
}
