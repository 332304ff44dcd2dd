// The sending providers whose bounce and complaint notifications are taken (on the
// Deliverability page): each set up on demand (Resend with its signing secret), then its URL to
// paste in the provider's dashboard, with a copy button, and when it last sent something.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { ConfirmButton } from "../../components/ConfirmButton";
import { CopyButton } from "../../components/CopyButton";
import { TextField } from "../../components/Field";
import { FEEDBACK_PROVIDERS, type FeedbackProvider, type FeedbackSource } from "../../lib/deliverability";
import { showFieldErrors } from "../../lib/field-errors";
import { PANEL, when } from "./styles";

const SOURCES_KEY = ["outreach-feedback-sources"];

export function FeedbackSources({ canWrite }: { canWrite: boolean }) {
  const sources = useQuery({ queryKey: SOURCES_KEY, queryFn: () => unwrap(api.GET("/api/v1/outreach/feedback-sources")) });
  return (
    <section aria-labelledby="feedback-title" className="flex flex-col gap-3">
      <h2 id="feedback-title" className="text-lg font-semibold">
        Provider notifications
      </h2>
      <p className="text-sm text-slate-600">
        Sending through Amazon SES, Resend or Postmark? Their bounce and complaint notifications suppress the address, stop its
        sequences and count towards auto-pause, as a bounce report read in an inbox does. Set a provider up, then give it the URL
        shown; the URL names this agency, so keep it private.
      </p>
      {sources.isLoading && <p className="text-sm text-slate-500">Loading…</p>}
      {sources.error && <Alert tone="error">{sources.error.message}</Alert>}
      {sources.data &&
        FEEDBACK_PROVIDERS.map((p) => (
          <Source key={p.provider} {...p} source={sources.data.find((s) => s.provider === p.provider)} canWrite={canWrite} />
        ))}
    </section>
  );
}

interface SourceProps {
  provider: FeedbackProvider;
  name: string;
  needsSecret: boolean;
  help: string;
  source: FeedbackSource | undefined;
  canWrite: boolean;
}

function Source({ provider, name, needsSecret, help, source, canWrite }: SourceProps) {
  const queryClient = useQueryClient();
  const [changingSecret, setChangingSecret] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: SOURCES_KEY });
  const path = { params: { path: { provider } } };
  const setUp = useMutation({
    mutationFn: (signingSecret: string | undefined) =>
      unwrap(api.PUT("/api/v1/outreach/feedback-sources/{provider}", { ...path, body: { signing_secret: signingSecret } })),
    onSuccess: () => {
      setChangingSecret(false);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/outreach/feedback-sources/{provider}", path)),
    onSuccess: refresh,
  });
  const titleId = `feedback-${provider}-title`;

  return (
    <section aria-labelledby={titleId} className={PANEL}>
      <h3 id={titleId} className="font-semibold">
        {name}
      </h3>
      <p className="text-sm text-slate-600">{help}</p>
      {source && (
        <div className="flex flex-col gap-2 text-sm">
          <div className="flex items-start gap-2">
            <code data-testid={`feedback-url-${provider}`} className="flex-1 rounded border border-slate-200 bg-slate-50 px-2 py-1 break-all">
              {source.url}
            </code>
            <CopyButton text={source.url} label={`the URL for ${name}`} />
          </div>
          <p className="text-slate-600">
            {source.signed ? "Deliveries are signed and checked." : "Deliveries are not signed: the URL is the secret."} Last
            notification: {source.last_received_at ? when(source.last_received_at) : "none yet"}.
          </p>
        </div>
      )}
      {canWrite && (!source || changingSecret) && (
        <SetUp
          name={name}
          needsSecret={needsSecret}
          changing={Boolean(source)}
          pending={setUp.isPending}
          onSubmit={(secret, onError) => setUp.mutate(secret, { onError })}
          onCancel={source ? () => setChangingSecret(false) : undefined}
        />
      )}
      {canWrite && source && !changingSecret && (
        <div className="flex flex-wrap gap-2">
          {needsSecret && (
            <Button variant="secondary" onClick={() => setChangingSecret(true)}>
              Change signing secret
            </Button>
          )}
          <ConfirmButton label="Remove" subject={name} disabled={remove.isPending} onConfirm={() => remove.mutate()} />
        </div>
      )}
      {(setUp.error ?? remove.error) && <Alert tone="error">{(setUp.error ?? remove.error)?.message}</Alert>}
    </section>
  );
}

interface SetUpProps {
  name: string;
  needsSecret: boolean;
  /** It is set up already: only its secret changes (its URL stays). */
  changing: boolean;
  pending: boolean;
  onSubmit: (signingSecret: string | undefined, onError: (error: unknown) => void) => void;
  onCancel: (() => void) | undefined;
}

function SetUp({ name, needsSecret, changing, pending, onSubmit, onCancel }: SetUpProps) {
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors },
  } = useForm<{ signing_secret: string }>({ defaultValues: { signing_secret: "" } });
  const submit = ({ signing_secret }: { signing_secret: string }) =>
    onSubmit(needsSecret ? signing_secret.trim() : undefined, (error) => showFieldErrors(error, setError));

  return (
    <form aria-label={`Set up ${name}`} className="flex flex-wrap items-end gap-3" onSubmit={handleSubmit(submit)} noValidate>
      {needsSecret && (
        <div className="min-w-72 flex-1">
          <TextField
            label="Signing secret"
            type="password"
            autoComplete="off"
            placeholder="whsec_…"
            hint={`From the webhook's page in ${name}. Stored sealed; never shown again.`}
            error={errors.signing_secret?.message}
            {...register("signing_secret", { required: `Paste the signing secret ${name} shows for the webhook.` })}
          />
        </div>
      )}
      <Button type="submit" disabled={pending}>
        {changing ? "Save secret" : `Set up ${name}`}
      </Button>
      {onCancel && (
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      )}
    </form>
  );
}
