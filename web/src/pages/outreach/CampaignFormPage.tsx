// The campaign builder (`/outreach/campaigns/create`, `/outreach/campaigns/:id/edit`): name,
// the send window (time zone, days, hours), the mailboxes it sends from, the steps and their
// variants, and when a reply stops the sequence. The server checks the templates and names the
// field it refuses (`steps[0].variants[1].body`), shown under that field.
import { useGo, useList, type HttpError } from "@refinedev/core";
import { useForm } from "@refinedev/react-hook-form";
import { Controller } from "react-hook-form";
import { Link, useParams } from "react-router";

import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import { Page } from "../../components/Page";
import {
  campaignErrorPath,
  campaignToForm,
  EMPTY_CAMPAIGN_FORM,
  formToCampaign,
  WEEKDAYS,
  type Campaign,
  type CampaignForm,
} from "../../lib/campaigns";
import { showFieldErrors } from "../../lib/field-errors";
import type { Mailbox } from "../../lib/mailboxes";
import { StepsEditor } from "./StepsEditor";
import { PANEL, SECONDARY_LINK } from "./styles";

/** The IANA zones this browser knows, offered as suggestions (the server checks the zone). */
const TIME_ZONES: readonly string[] = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];

export default function CampaignFormPage({ action }: { action: "create" | "edit" }) {
  const { id } = useParams();
  const go = useGo();
  const mailboxes = useList<Mailbox>({
    resource: "outreach_mailboxes",
    pagination: { pageSize: 200 },
    sorters: [{ field: "name", order: "asc" }],
  });
  const {
    control,
    register,
    handleSubmit,
    setError,
    formState: { errors },
    refineCore: { onFinish, formLoading, query },
  } = useForm<Campaign, HttpError, CampaignForm, object, CampaignForm, Campaign>({
    defaultValues: action === "create" ? EMPTY_CAMPAIGN_FORM : { ...EMPTY_CAMPAIGN_FORM, steps: [] },
    // Field errors are placed by hand: the API names steps as `steps[0]`, and a step's delay
    // is typed as a number and a unit.
    disableServerSideValidation: true,
    refineCoreProps: {
      resource: "outreach_campaigns",
      action,
      id,
      redirect: false,
      // The form is not refilled under the user's hands by a change made elsewhere.
      liveMode: "off",
      queryOptions: { select: ({ data }) => ({ data: campaignToForm(data) }) },
      successNotification: () => ({ type: "success", message: action === "create" ? "Campaign created." : "Campaign saved." }),
      errorNotification: (error) => ({ type: "error", message: error?.message ?? "The campaign was not saved." }),
      onMutationSuccess: ({ data }) => go({ to: `/outreach/campaigns/${data.id}` }),
    },
  });
  const stored = query?.data?.data;

  const submit = (values: CampaignForm) =>
    onFinish(formToCampaign(values) as unknown as CampaignForm).catch((error: unknown) =>
      showFieldErrors(error, setError, campaignErrorPath),
    );

  if (action === "edit" && !stored) {
    if (!query?.error) return <p className="text-slate-500">Loading…</p>;
    return (
      <Page title="Edit campaign">
        <Alert tone="error">{query.error.message}</Alert>
      </Page>
    );
  }

  const mailboxList = mailboxes.result.data ?? [];
  return (
    <Page title={action === "create" ? "New campaign" : `Edit ${stored?.name ?? "campaign"}`}>
      <form aria-label="Campaign" className="flex flex-col gap-6" onSubmit={handleSubmit(submit)} noValidate>
        <div className="grid max-w-3xl grid-cols-1 gap-4 sm:grid-cols-2">
          <TextField label="Name" error={errors.name?.message} {...register("name", { required: "Give the campaign a name." })} />
          <TextField
            label="Time zone"
            hint="IANA name, e.g. Europe/Bucharest: the window is read in it for leads without a zone of their own."
            list="campaign-time-zones"
            autoComplete="off"
            error={errors.timezone?.message}
            {...register("timezone")}
          />
          <datalist id="campaign-time-zones">
            {TIME_ZONES.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </div>

        <fieldset className={PANEL}>
          <legend className="px-1 text-sm font-semibold">Send window</legend>
          <Controller
            control={control}
            name="window_days"
            render={({ field, fieldState }) => (
              <div role="group" aria-label="Days" className="flex flex-wrap gap-3">
                {WEEKDAYS.map(({ day, label }) => (
                  <label key={day} className="flex items-center gap-1.5 text-sm text-slate-700">
                    <input
                      type="checkbox"
                      checked={field.value.includes(day)}
                      onChange={(e) =>
                        field.onChange(e.target.checked ? [...field.value, day] : field.value.filter((d) => d !== day))
                      }
                      onBlur={field.onBlur}
                    />
                    {label}
                  </label>
                ))}
                {fieldState.error && (
                  <p role="alert" className="w-full text-sm text-red-700">
                    {fieldState.error.message}
                  </p>
                )}
              </div>
            )}
          />
          <div className="flex flex-wrap gap-4">
            <div className="w-36">
              <TextField label="From" type="time" error={errors.window_start?.message} {...register("window_start")} />
            </div>
            <div className="w-36">
              <TextField label="Until" type="time" error={errors.window_end?.message} {...register("window_end")} />
            </div>
          </div>
        </fieldset>

        <fieldset className={PANEL}>
          <legend className="px-1 text-sm font-semibold">Mailboxes</legend>
          <p className="text-sm text-slate-600">It sends from these, the least used first, each within its daily cap.</p>
          <Controller
            control={control}
            name="mailbox_ids"
            render={({ field, fieldState }) => (
              <div role="group" aria-label="Send from" className="flex flex-col gap-1.5">
                {mailboxList.map((m) => (
                  <label key={m.id} className="flex items-center gap-2 text-sm text-slate-700">
                    <input
                      type="checkbox"
                      checked={field.value.includes(m.id)}
                      onChange={(e) =>
                        field.onChange(e.target.checked ? [...field.value, m.id] : field.value.filter((id) => id !== m.id))
                      }
                      onBlur={field.onBlur}
                    />
                    {m.name} <code className="text-xs text-slate-500">{m.from_address}</code>
                    {m.status !== "active" && <span className="text-xs text-amber-700">({m.status})</span>}
                  </label>
                ))}
                {mailboxes.query.isLoading && <p className="text-sm text-slate-500">Loading…</p>}
                {!mailboxes.query.isLoading && mailboxList.length === 0 && (
                  <p className="text-sm text-slate-500">
                    No mailboxes yet:{" "}
                    <Link to="/outreach/mailboxes/create" className="text-indigo-700 hover:underline">
                      add one
                    </Link>
                    .
                  </p>
                )}
                {fieldState.error && (
                  <p role="alert" className="text-sm text-red-700">
                    {fieldState.error.message}
                  </p>
                )}
              </div>
            )}
          />
        </fieldset>

        <TemplateHelp />
        <StepsEditor control={control} register={register} errors={errors} />

        <fieldset className={PANEL}>
          <legend className="px-1 text-sm font-semibold">Replies</legend>
          <p className="text-sm text-slate-600">A reply always stops that lead's sequence.</p>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" {...register("stop_on_auto_reply")} />
            Stop on an automatic reply too (out of office)
          </label>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" {...register("stop_company_on_reply")} />
            Stop everyone at the same company when one replies
          </label>
        </fieldset>

        <div className="flex gap-2">
          <Button type="submit" disabled={formLoading}>
            {action === "create" ? "Create campaign" : "Save"}
          </Button>
          <Link to={id ? `/outreach/campaigns/${id}` : "/outreach/campaigns"} className={SECONDARY_LINK}>
            Cancel
          </Link>
        </div>
      </form>
    </Page>
  );
}

function TemplateHelp() {
  return (
    <aside aria-label="Template help" className="rounded-md border border-indigo-100 bg-indigo-50 p-3 text-sm text-slate-700">
      <p className="font-medium">Subjects and bodies are templates</p>
      <ul className="mt-1 list-disc pl-5">
        <li>
          <code>{'{{first_name | "there"}}'}</code>: the lead's first name, or <q>there</q> when it has none.
        </li>
        <li>
          <code>{"{Hi|Hello}"}</code>: one of the words, picked per message (spintax).
        </li>
        <li>
          <code>{"{{custom.industry}}"}</code>: a custom field of the lead.
        </li>
      </ul>
      <p className="mt-1 text-slate-600">The preview on the campaign's page shows a step as a real lead would get it.</p>
    </aside>
  );
}
