// Adding and changing an outreach mailbox: its sender, SMTP server, daily cap, warm-up and the
// pause between messages. The password is write-only: on a change, an empty field keeps the
// stored one and "Remove the stored password" deletes it. The server's 422 field errors (and
// the 409 of a from address already used) show next to their fields. Once it exists, its page
// also sets where its replies are read (IMAP) and how its messages are signed (DKIM).
import { useGetIdentity, useGo, type HttpError } from "@refinedev/core";
import { useForm } from "@refinedev/react-hook-form";
import { Link, useParams } from "react-router";

import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { Field, SelectField, TextField } from "../../components/Field";
import { Page } from "../../components/Page";
import {
  EMPTY_MAILBOX_FORM,
  formToMailbox,
  mailboxToForm,
  MAILBOX_STATUSES,
  SMTP_SECURITIES,
  type Mailbox,
  type MailboxForm,
} from "../../lib/mailboxes";
import { holds } from "../../lib/scopes";
import type { Identity } from "../../providers/auth";
import { DkimPanel } from "./DkimPanel";
import { InboxPanel } from "./InboxPanel";
import { CONTROL, SECONDARY_LINK } from "./styles";

export default function MailboxFormPage({ action }: { action: "create" | "edit" }) {
  const { id } = useParams();
  const go = useGo();
  const { data: identity } = useGetIdentity<Identity>();
  const canWrite = holds(identity, "outreach:write");
  const {
    register,
    handleSubmit,
    watch,
    formState: { errors },
    refineCore: { onFinish, formLoading, query },
  } = useForm<Mailbox, HttpError, MailboxForm, object, MailboxForm>({
    defaultValues: EMPTY_MAILBOX_FORM,
    refineCoreProps: {
      resource: "outreach_mailboxes",
      action,
      id,
      redirect: false,
      // The form is not refilled under the user's hands by a change made elsewhere.
      liveMode: "off",
      // The stored mailbox, as the form shows it (its numbers as text, no password).
      queryOptions: { select: ({ data }) => ({ data: mailboxToForm(data) }) },
      successNotification: () => ({ type: "success", message: action === "create" ? "Mailbox added." : "Mailbox saved." }),
      errorNotification: (error) => ({ type: "error", message: error?.message ?? "The mailbox was not saved." }),
      onMutationSuccess: () => go({ to: "/outreach/mailboxes" }),
    },
  });
  const stored = query?.data?.data;
  const removing = watch("remove_password");

  const submit = (values: MailboxForm) => onFinish(formToMailbox(values) as unknown as MailboxForm).catch(() => undefined);

  if (action === "edit" && query?.error) {
    return (
      <Page title="Edit mailbox">
        <Alert tone="error">{query.error.message}</Alert>
      </Page>
    );
  }

  const number = { type: "number", inputMode: "numeric", min: 0 } as const;
  return (
    <Page title={action === "create" ? "New mailbox" : stored ? `Edit ${stored.name}` : "Edit mailbox"}>
      <form aria-label="Mailbox" className="grid max-w-3xl grid-cols-1 gap-4 sm:grid-cols-2" onSubmit={handleSubmit(submit)} noValidate>
        <TextField label="Name" hint="What the team calls it: Sales, Ana's inbox." error={errors.name?.message} {...register("name", { required: "Give the mailbox a name." })} />
        <SelectField label="Status" error={errors.status?.message} options={MAILBOX_STATUSES} {...register("status")} />
        <TextField
          label="From address"
          type="email"
          autoComplete="off"
          error={errors.from_address?.message}
          {...register("from_address", { required: "Give the address messages are sent from." })}
        />
        <TextField label="From name" hint="Shown as the sender: Ana Popescu." error={errors.from_name?.message} {...register("from_name")} />
        <div className="sm:col-span-2">
          <Field label="Signature" hint="Plain text, added under each message." error={errors.signature?.message}>
            {(control) => <textarea rows={3} className={CONTROL} {...control} {...register("signature")} />}
          </Field>
        </div>

        <fieldset className="grid grid-cols-1 gap-4 rounded-md border border-slate-200 p-3 sm:col-span-2 sm:grid-cols-3">
          <legend className="px-1 text-sm font-semibold">SMTP server</legend>
          <TextField label="SMTP host" autoComplete="off" error={errors.smtp_host?.message} {...register("smtp_host", { required: "Give the SMTP host." })} />
          <TextField label="SMTP port" {...number} max={65535} error={errors.smtp_port?.message} {...register("smtp_port", { required: "Give the port." })} />
          <SelectField label="Security" error={errors.smtp_security?.message} options={SMTP_SECURITIES} {...register("smtp_security")} />
          <TextField
            label="SMTP user name"
            autoComplete="off"
            hint="Empty: the server takes messages without signing in."
            error={errors.smtp_username?.message}
            {...register("smtp_username")}
          />
          <TextField
            label="SMTP password"
            type="password"
            autoComplete="new-password"
            disabled={removing}
            hint={
              action === "edit" && stored?.has_password
                ? "A password is stored: leave this empty to keep it."
                : "Stored sealed; it is never shown again."
            }
            error={errors.smtp_password?.message}
            {...register("smtp_password")}
          />
          {action === "edit" && stored?.has_password && (
            <label className="flex items-center gap-2 self-center text-sm text-slate-700">
              <input type="checkbox" {...register("remove_password")} />
              Remove the stored password
            </label>
          )}
        </fieldset>

        <fieldset className="grid grid-cols-1 gap-4 rounded-md border border-slate-200 p-3 sm:col-span-2 sm:grid-cols-3">
          <legend className="px-1 text-sm font-semibold">Sending pace</legend>
          <TextField label="Daily cap" {...number} min={1} hint="Messages a day at most." error={errors.daily_cap?.message} {...register("daily_cap")} />
          <TextField label="Minimum pause (s)" {...number} hint="Between two messages." error={errors.min_gap_seconds?.message} {...register("min_gap_seconds")} />
          <TextField label="Maximum pause (s)" {...number} error={errors.max_gap_seconds?.message} {...register("max_gap_seconds")} />
          <label className="flex items-center gap-2 text-sm text-slate-700 sm:col-span-3">
            <input type="checkbox" {...register("warmup_enabled")} />
            Warm up: start low and raise the cap a little every day
          </label>
          <TextField label="Warm-up start" {...number} min={1} hint="Messages on the first day." error={errors.warmup_start?.message} {...register("warmup_start")} />
          <TextField label="Warm-up step" {...number} hint="Added each day, up to the cap." error={errors.warmup_step?.message} {...register("warmup_step")} />
        </fieldset>

        <div className="flex gap-2 sm:col-span-2">
          <Button type="submit" disabled={formLoading}>
            {action === "create" ? "Add mailbox" : "Save"}
          </Button>
          <Link to="/outreach/mailboxes" className={SECONDARY_LINK}>
            Cancel
          </Link>
        </div>
      </form>
      {action === "edit" && id && stored && (
        <div className="flex max-w-3xl flex-col gap-6">
          <InboxPanel mailboxId={id} defaultUser={stored.smtp_username || stored.from_address} canWrite={canWrite} />
          <DkimPanel mailboxId={id} fromAddress={stored.from_address} canWrite={canWrite} />
        </div>
      )}
    </Page>
  );
}
