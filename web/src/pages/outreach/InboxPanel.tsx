// A mailbox's inbox, on its edit page: where its replies, auto-replies and bounce reports are
// read (IMAP), checked every minute while on, or at once with "Check now" (what the check found
// is said in place). The password is write-only, as the SMTP one: an empty field keeps the
// stored one, and with none stored the SMTP password is used.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useForm, useWatch } from "react-hook-form";

import { unwrap, unwrapOptional } from "../../api/call";
import { api } from "../../api/instance";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { ConfirmButton } from "../../components/ConfirmButton";
import { SelectField, TextField } from "../../components/Field";
import { showFieldErrors } from "../../lib/field-errors";
import {
  describeCheck,
  formToInbox,
  IMAP_SECURITIES,
  inboxToForm,
  type InboxForm,
  type InboxInput,
  type MailboxInbox,
} from "../../lib/inbox";
import { PANEL, when } from "./styles";

interface PanelProps {
  mailboxId: string;
  /** Who the server signs in as when no user name is given: the SMTP user, else the sender. */
  defaultUser: string;
  canWrite: boolean;
}

export function InboxPanel({ mailboxId, defaultUser, canWrite }: PanelProps) {
  const queryClient = useQueryClient();
  const queryKey = ["outreach-inbox", mailboxId];
  const params = { params: { path: { id: mailboxId } } };
  const inbox = useQuery({
    queryKey,
    queryFn: () => unwrapOptional(api.GET("/api/v1/outreach/mailboxes/{id}/inbox", params)),
  });
  const stored = inbox.data ?? null;
  const show = (value: MailboxInbox | null) => queryClient.setQueryData(queryKey, value);

  const save = useMutation({
    mutationFn: (body: InboxInput) => unwrap(api.PUT("/api/v1/outreach/mailboxes/{id}/inbox", { ...params, body })),
    onSuccess: show,
  });
  const check = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/outreach/mailboxes/{id}/inbox/check", params)),
    onMutate: () => save.reset(),
    // The check is kept on the inbox (when, and its error).
    onSettled: () => void queryClient.invalidateQueries({ queryKey }),
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/outreach/mailboxes/{id}/inbox", params)),
    onSuccess: () => {
      show(null);
      save.reset();
      check.reset();
    },
  });

  return (
    <section aria-labelledby="inbox-title" className={PANEL}>
      <h2 id="inbox-title" className="text-lg font-semibold">
        Replies inbox (IMAP)
      </h2>
      <p className="text-sm text-slate-600">
        Where replies to this mailbox arrive. Each new message there that answers one of ours is kept in the Inbox: a reply
        stops the lead's sequence, a bounce report suppresses the address.
      </p>
      {inbox.isLoading && <p className="text-sm text-slate-500">Loading…</p>}
      {inbox.error && <Alert tone="error">{inbox.error.message}</Alert>}
      {stored && <InboxState inbox={stored} />}
      {!inbox.isLoading && !inbox.error && (
        // Shown afresh from what was saved (its password field empty again).
        <InboxSettings
          key={stored?.updated_at ?? "none"}
          stored={stored}
          defaultUser={defaultUser}
          canWrite={canWrite}
          saving={save.isPending}
          onSave={(body, onFieldErrors) => save.mutate(body, { onError: onFieldErrors })}
          actions={
            stored && (
              <>
                <Button variant="secondary" disabled={check.isPending} onClick={() => check.mutate()}>
                  {check.isPending ? "Checking…" : "Check now"}
                </Button>
                <ConfirmButton label="Remove" subject="the inbox" disabled={remove.isPending} onConfirm={() => remove.mutate()} />
              </>
            )
          }
        />
      )}
      {save.error && <Alert tone="error">{save.error.message}</Alert>}
      {save.isSuccess && !save.isPending && <Alert tone="success">Inbox saved.</Alert>}
      {check.data && (
        <Alert tone={check.data.error ? "warning" : "success"}>
          <span className="break-words">{describeCheck(check.data)}</span>
        </Alert>
      )}
      {(check.error ?? remove.error) && <Alert tone="error">{(check.error ?? remove.error)?.message}</Alert>}
    </section>
  );
}

/** When it was last read, and how that went. */
function InboxState({ inbox }: { inbox: MailboxInbox }) {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
      <dt className="text-slate-500">Last checked</dt>
      <dd>
        {inbox.checked_at ? when(inbox.checked_at) : "not yet"}
        {inbox.checked_at && !inbox.last_error && <span className="ml-1 text-green-700">(ok)</span>}
      </dd>
      {inbox.last_error && (
        <>
          <dt className="text-slate-500">Last error</dt>
          <dd className="break-words text-red-700" data-testid="inbox-last-error">
            {inbox.last_error}
          </dd>
        </>
      )}
      <dt className="text-slate-500">Next check</dt>
      <dd>{inbox.enabled ? when(inbox.next_check_at) : "off: not checked until switched on"}</dd>
    </dl>
  );
}

interface SettingsProps {
  stored: MailboxInbox | null;
  defaultUser: string;
  canWrite: boolean;
  saving: boolean;
  onSave: (body: InboxInput, onError: (error: unknown) => void) => void;
  /** Shown beside Save: what can be done with the stored inbox. */
  actions: ReactNode;
}

function InboxSettings({ stored, defaultUser, canWrite, saving, onSave, actions }: SettingsProps) {
  const {
    register,
    handleSubmit,
    setError,
    control,
    formState: { errors },
  } = useForm<InboxForm>({ defaultValues: inboxToForm(stored) });
  const removing = useWatch({ control, name: "remove_password" });
  const submit = (values: InboxForm) => onSave(formToInbox(values), (error) => showFieldErrors(error, setError));
  const number = { type: "number", inputMode: "numeric", min: 1, max: 65535 } as const;

  return (
    <form aria-label="Replies inbox" onSubmit={handleSubmit(submit)} noValidate>
      <fieldset disabled={!canWrite} className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <TextField
          label="IMAP host"
          autoComplete="off"
          placeholder="imap.example.com"
          error={errors.host?.message}
          {...register("host", { required: "Give the IMAP host." })}
        />
        <TextField label="IMAP port" {...number} hint="993 with tls, 143 with starttls." error={errors.port?.message} {...register("port")} />
        <SelectField label="IMAP security" options={IMAP_SECURITIES} error={errors.security?.message} {...register("security")} />
        <TextField
          label="IMAP user name"
          autoComplete="off"
          placeholder={defaultUser}
          hint="Empty: the SMTP user name, else the from address."
          error={errors.username?.message}
          {...register("username")}
        />
        <TextField
          label="IMAP password"
          type="password"
          autoComplete="new-password"
          disabled={removing}
          hint={
            stored?.has_password
              ? "A password of its own is stored: leave this empty to keep it."
              : "Empty: the SMTP password is used. Stored sealed; never shown again."
          }
          error={errors.password?.message}
          {...register("password")}
        />
        <TextField label="Folder" autoComplete="off" error={errors.folder?.message} {...register("folder")} />
        {stored?.has_password && (
          <label className="flex items-center gap-2 text-sm text-slate-700 sm:col-span-3">
            <input type="checkbox" {...register("remove_password")} />
            Remove its own password (use the SMTP password)
          </label>
        )}
        <label className="flex items-center gap-2 text-sm text-slate-700 sm:col-span-3">
          <input type="checkbox" {...register("enabled")} />
          Check it every minute
        </label>
        {canWrite && (
          <div className="flex flex-wrap gap-2 sm:col-span-3">
            <Button type="submit" disabled={saving}>
              {saving ? "Saving…" : "Save inbox"}
            </Button>
            {actions}
          </div>
        )}
      </fieldset>
    </form>
  );
}
