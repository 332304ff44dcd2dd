// Creating and editing a lead. The server's 422 field errors show next to their fields
// (@refinedev/react-hook-form reads them from the HttpError); an edit sends the version it
// was made against, so a change made meanwhile by someone else is refused (409) and said so.
import { useGetIdentity, useGo, useInvalidate, useList, type HttpError } from "@refinedev/core";
import { useForm } from "@refinedev/react-hook-form";
import { useState } from "react";
import { Link, useParams } from "react-router";

import type { components } from "../../api/schema";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { Field, SelectField, TextField } from "../../components/Field";
import { Page } from "../../components/Page";
import { formToPayload, isStaleWrite, leadName, type Lead } from "../../lib/leads";
import { holds } from "../../lib/scopes";
import { useLeadStatuses } from "../../lib/statuses";
import type { Identity } from "../../providers/auth";

type LeadInput = components["schemas"]["LeadInput"];
type Pipeline = components["schemas"]["Pipeline"];
type Member = components["schemas"]["Member"];

/** The text inputs of the form, in order: a LeadInput field each, with its label and hint. */
const TEXT_FIELDS = [
  { name: "first_name", label: "First name" },
  { name: "last_name", label: "Last name" },
  { name: "email", label: "Email" },
  { name: "phone", label: "Phone", hint: "International format, e.g. +40 722 123 456." },
  { name: "company", label: "Company" },
  { name: "title", label: "Job title" },
  { name: "website", label: "Website" },
  { name: "source", label: "Source", hint: "Where the lead came from, e.g. webinar." },
] as const satisfies readonly { name: keyof LeadInput; label: string; hint?: string }[];

/** The LeadInput fields the form edits with a select or a number input (laid out below). */
const OTHER_FIELDS = ["status", "score", "pipeline_id", "owner_id"] as const satisfies readonly (keyof LeadInput)[];

type FormField = (typeof TEXT_FIELDS)[number]["name"] | (typeof OTHER_FIELDS)[number];

/** The form's values: the LeadInput fields it edits, each as the text its input holds ("" for
 * none; `formToPayload` turns them into the API's values). A field renamed or removed in the
 * API fails the typecheck here. */
type FormValues = { [K in keyof LeadInput as K extends FormField ? K : never]-?: string };

const SELECT = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-xs aria-invalid:border-red-600";

const EMPTY = Object.fromEntries(
  [...TEXT_FIELDS.map((field) => field.name), ...OTHER_FIELDS].map((name) => [name, ""]),
) as FormValues;

export function LeadCreatePage() {
  return <LeadForm action="create" />;
}

export function LeadEditPage() {
  const { id } = useParams();
  return <LeadForm action="edit" id={id} />;
}

function LeadForm({ action, id }: { action: "create" | "edit"; id?: string | undefined }) {
  const go = useGo();
  const { data: identity } = useGetIdentity<Identity>();
  const invalidate = useInvalidate();
  const statuses = useLeadStatuses();
  const pipelines = useList<Pipeline>({ resource: "pipelines", pagination: { mode: "off" }, liveMode: "off" }).result.data;
  // The pipeline and owner selects mount once their options are loaded, so that the value
  // the form holds (from the record) shows. Owners are offered only to those who may list
  // the members; the API checks the owner again.
  const members = useList<Member>({
    resource: "members",
    pagination: { mode: "off" },
    liveMode: "off",
    queryOptions: { enabled: holds(identity, "members:read") },
  }).result.data;
  const [stale, setStale] = useState(false);
  const [changedElsewhere, setChangedElsewhere] = useState(false);
  const {
    register,
    handleSubmit,
    formState: { errors },
    refineCore: { onFinish, formLoading, query },
  } = useForm<Lead, HttpError, FormValues>({
    defaultValues: EMPTY,
    refineCoreProps: {
      resource: "leads",
      action,
      id,
      redirect: false,
      // A change made elsewhere must not replace what is being typed, nor the version the
      // edit is made against: it is announced instead, and saving over it is refused.
      liveMode: "manual",
      onLiveEvent: (event) => {
        const ids = (event.payload as { ids?: unknown[] } | undefined)?.ids;
        if (action === "edit" && event.type === "updated" && (!Array.isArray(ids) || ids.includes(id)))
          setChangedElsewhere(true);
      },
      // A stale write gets its own message below, with a way out; others the server's detail.
      errorNotification: (error) =>
        isStaleWrite(error) ? false : { type: "error", message: error?.message ?? "The lead was not saved." },
      successNotification: () => ({ type: "success", message: action === "create" ? "Lead created." : "Lead saved." }),
      // Not the record itself after every save: refetching it after a refused save would put
      // the server's values over what was typed. It is refreshed on success only.
      invalidates: ["list", "many"],
      onMutationSuccess: async ({ data }) => {
        await invalidate({ resource: "leads", id: data.id, invalidates: ["detail"] });
        go({ to: `/leads/${data.id}` });
      },
      onMutationError: (error) => setStale(isStaleWrite(error)),
    },
  });
  const lead = query?.data?.data;

  const submit = async (values: FormValues) => {
    setStale(false);
    // The edited record fills the form with all its fields: send only the form's own.
    const own = Object.fromEntries(Object.keys(EMPTY).map((key) => [key, values[key as keyof FormValues] ?? ""]));
    const payload = formToPayload(own) as LeadInput & { version?: number };
    if (action === "edit" && lead) payload.version = lead.version;
    // An empty status means the default (`New`) on create and no change on edit.
    if (payload.status === null) delete payload.status;
    // Sending the pipeline a lead is already in would put it back in the first stage.
    if (action === "edit" && payload.pipeline_id === (lead?.pipeline_id ?? null)) delete payload.pipeline_id;
    // Without an owner, a new lead may be given one by the source's round-robin rule.
    if (action === "create" && payload.owner_id === null) delete payload.owner_id;
    if (members.length === 0 && action === "edit") delete payload.owner_id;
    await onFinish(payload as unknown as FormValues).catch(() => undefined);
  };

  const title = action === "create" ? "New lead" : lead ? `Edit ${leadName(lead)}` : "Edit lead";
  const statusOptions = ["", ...statuses];

  return (
    <Page title={title}>
      {stale && (
        <Alert tone="error">
          Someone changed this lead while you were editing it, so your changes were not saved.{" "}
          <button
            type="button"
            className="font-medium underline"
            onClick={async () => {
              await query?.refetch();
              setStale(false);
              setChangedElsewhere(false);
            }}
          >
            Load the current version
          </button>{" "}
          and make your changes again.
        </Alert>
      )}
      {changedElsewhere && !stale && (
        <p role="status" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          This lead has just been changed elsewhere: saving will be refused until you load the current version.
        </p>
      )}
      <form className="grid max-w-3xl grid-cols-1 gap-4 sm:grid-cols-2" onSubmit={handleSubmit(submit)} noValidate>
        {TEXT_FIELDS.map(({ name, label, ...field }) => (
          <TextField
            key={name}
            label={label}
            hint={"hint" in field ? field.hint : undefined}
            type={name === "email" ? "email" : "text"}
            error={errors[name]?.message}
            {...register(name)}
          />
        ))}
        <SelectField label="Status" error={errors.status?.message} options={statusOptions} {...register("status")} />
        <TextField
          label="Score"
          type="number"
          min={0}
          max={100}
          hint="0 to 100."
          error={errors.score?.message}
          {...register("score")}
        />
        {pipelines.length > 0 && (
          <Field label="Pipeline" hint="A new lead starts in its first stage." error={errors.pipeline_id?.message}>
            {(control) => (
              <select className={SELECT} {...control} {...register("pipeline_id")}>
                <option value="">None</option>
                {pipelines.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {members.length > 0 && (
          <Field label="Owner" hint="Left empty on a new lead, a round-robin rule may pick one." error={errors.owner_id?.message}>
            {(control) => (
              <select className={SELECT} {...control} {...register("owner_id")}>
                <option value="">Nobody</option>
                {members.map((m) => (
                  <option key={m.user_id} value={m.user_id}>
                    {m.name} ({m.email})
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <div className="flex gap-2 sm:col-span-2">
          <Button type="submit" disabled={formLoading}>
            {action === "create" ? "Create lead" : "Save"}
          </Button>
          <Link
            to={id ? `/leads/${id}` : "/leads"}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium shadow-xs hover:bg-slate-100"
          >
            Cancel
          </Link>
        </div>
      </form>
    </Page>
  );
}
