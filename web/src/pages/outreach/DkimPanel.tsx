// A mailbox's DKIM signing, on its edit page: a key made by the server (a second or so) or one
// the user pastes, and the DNS record to publish for it, each part with a copy button. The
// private key never comes back; replacing it changes the record.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";

import { unwrap, unwrapOptional } from "../../api/call";
import { api } from "../../api/instance";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { ConfirmButton } from "../../components/ConfirmButton";
import { CopyButton } from "../../components/CopyButton";
import { Field, TextField } from "../../components/Field";
import {
  addressDomain,
  DEFAULT_SELECTOR,
  formToDkim,
  hasKey,
  type Dkim,
  type DkimForm,
  type DkimInput,
} from "../../lib/deliverability";
import { showFieldErrors } from "../../lib/field-errors";
import { CONTROL, PANEL } from "./styles";

interface PanelProps {
  mailboxId: string;
  fromAddress: string;
  canWrite: boolean;
}

export function DkimPanel({ mailboxId, fromAddress, canWrite }: PanelProps) {
  const queryClient = useQueryClient();
  const queryKey = ["outreach-dkim", mailboxId];
  const params = { params: { path: { id: mailboxId } } };
  const dkim = useQuery({
    queryKey,
    queryFn: () => unwrapOptional(api.GET("/api/v1/outreach/mailboxes/{id}/dkim", params)),
  });
  const [replacing, setReplacing] = useState(false);
  const show = (value: Dkim | null) => {
    queryClient.setQueryData(queryKey, value);
    setReplacing(false);
  };
  const sign = useMutation({
    mutationFn: (body: DkimInput) => unwrap(api.PUT("/api/v1/outreach/mailboxes/{id}/dkim", { ...params, body })),
    onSuccess: show,
  });
  const stop = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/outreach/mailboxes/{id}/dkim", params)),
    onSuccess: () => show(null),
  });
  const current = dkim.data ?? null;

  return (
    <section aria-labelledby="dkim-title" className={PANEL}>
      <h2 id="dkim-title" className="text-lg font-semibold">
        DKIM signing
      </h2>
      <p className="text-sm text-slate-600">
        A signature receivers check against a DNS record of the sending domain: signed mail is far less likely to land in
        spam.
      </p>
      {dkim.isLoading && <p className="text-sm text-slate-500">Loading…</p>}
      {dkim.error && <Alert tone="error">{dkim.error.message}</Alert>}
      {current && <DnsRecord dkim={current} />}
      {current && canWrite && !replacing && (
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" onClick={() => setReplacing(true)}>
            Replace key
          </Button>
          <ConfirmButton label="Stop signing" subject="with this key" disabled={stop.isPending} onConfirm={() => stop.mutate()} />
        </div>
      )}
      {!dkim.isLoading && !dkim.error && !current && !canWrite && <p className="text-sm text-slate-500">Its messages are not signed.</p>}
      {!dkim.isLoading && !dkim.error && canWrite && (!current || replacing) && (
        <KeyForm
          current={current}
          domain={addressDomain(fromAddress)}
          pending={sign.isPending}
          onSubmit={(body, onError) => sign.mutate(body, { onError })}
          onCancel={current ? () => setReplacing(false) : undefined}
        />
      )}
      {(sign.error ?? stop.error) && <Alert tone="error">{(sign.error ?? stop.error)?.message}</Alert>}
    </section>
  );
}

/** The TXT record to publish, name and value each with a copy button. */
function DnsRecord({ dkim }: { dkim: Dkim }) {
  return (
    <div className="flex flex-col gap-2">
      <dl className="grid grid-cols-[max-content_1fr] items-start gap-x-4 gap-y-2 text-sm">
        <dt className="pt-1.5 text-slate-500">Name</dt>
        <dd className="flex items-start gap-2">
          <code data-testid="dkim-name" className="flex-1 rounded border border-slate-200 bg-slate-50 px-2 py-1 break-all">
            {dkim.dns_name}
          </code>
          <CopyButton text={dkim.dns_name} label="the record name" />
        </dd>
        <dt className="text-slate-500">Type</dt>
        <dd>
          <code>TXT</code>
        </dd>
        <dt className="pt-1.5 text-slate-500">Value</dt>
        <dd className="flex items-start gap-2">
          <pre
            data-testid="dkim-value"
            className="flex-1 rounded border border-slate-200 bg-slate-50 px-2 py-1 font-mono text-xs leading-5 break-all whitespace-pre-wrap"
          >
            {dkim.dns_value}
          </pre>
          <CopyButton text={dkim.dns_value} label="the record value" />
        </dd>
      </dl>
      <p className="text-sm text-slate-600">
        Publish this TXT record in the DNS of <strong>{dkim.domain}</strong>: messages are signed from now on, but receivers can
        only verify the signature once the record is there (DNS changes may take a while to reach everyone).
      </p>
    </div>
  );
}

interface KeyFormProps {
  current: Dkim | null;
  domain: string;
  pending: boolean;
  onSubmit: (body: DkimInput, onError: (error: unknown) => void) => void;
  onCancel: (() => void) | undefined;
}

function KeyForm({ current, domain, pending, onSubmit, onCancel }: KeyFormProps) {
  const {
    register,
    handleSubmit,
    setError,
    control,
    formState: { errors },
  } = useForm<DkimForm>({
    defaultValues: { selector: current?.selector ?? DEFAULT_SELECTOR, domain: current?.domain ?? "", private_key: "" },
  });
  const pasted = hasKey({ private_key: useWatch({ control, name: "private_key" }) });
  const submit = (values: DkimForm) => onSubmit(formToDkim(values), (error) => showFieldErrors(error, setError));

  return (
    <form aria-label="DKIM key" className="grid grid-cols-1 gap-4 sm:grid-cols-2" onSubmit={handleSubmit(submit)} noValidate>
      <TextField
        label="Selector"
        autoComplete="off"
        hint="Names the record; a new one lets the old record stay while mail signed with it is on its way."
        error={errors.selector?.message}
        {...register("selector")}
      />
      <TextField
        label="Domain"
        autoComplete="off"
        placeholder={domain}
        hint="Empty: the from address's domain."
        error={errors.domain?.message}
        {...register("domain")}
      />
      <div className="sm:col-span-2">
        <Field label="Private key (optional)" hint="An RSA key in PEM to use; empty: a new 2048-bit key is made." error={errors.private_key?.message}>
          {(control) => (
            <textarea
              rows={4}
              spellCheck={false}
              autoComplete="off"
              placeholder="-----BEGIN PRIVATE KEY-----"
              className={`${CONTROL} font-mono text-xs`}
              {...control}
              {...register("private_key")}
            />
          )}
        </Field>
      </div>
      <div className="flex gap-2 sm:col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? (pasted ? "Saving…" : "Generating…") : pasted ? "Use this key" : "Generate key"}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
