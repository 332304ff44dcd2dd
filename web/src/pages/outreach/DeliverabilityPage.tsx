// Deliverability (`/outreach/settings`): the thresholds past which a mailbox or campaign pauses
// by itself (rates typed as percentages, sent as fractions), and the sending providers whose
// bounce and complaint notifications are taken (./FeedbackSources). Reading needs
// `outreach:read`; without `outreach:write` the forms are shown disabled.
import { useGetIdentity } from "@refinedev/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import { Page } from "../../components/Page";
import {
  checkPercent,
  formToSettings,
  settingsToForm,
  type DeliverySettings,
  type ThresholdsForm,
} from "../../lib/deliverability";
import { showFieldErrors } from "../../lib/field-errors";
import { holds } from "../../lib/scopes";
import type { Identity } from "../../providers/auth";
import { FeedbackSources } from "./FeedbackSources";
import { PANEL } from "./styles";

const SETTINGS_KEY = ["outreach-settings"];

export default function DeliverabilityPage() {
  const { data: identity } = useGetIdentity<Identity>();
  const canWrite = holds(identity, "outreach:write");
  return (
    <Page title="Deliverability">
      <p className="text-sm text-slate-600">
        Bounces and spam complaints hurt every message a domain sends. Sending stops by itself before they pile up, and the
        providers' notifications count as soon as they arrive.
      </p>
      <Thresholds canWrite={canWrite} />
      <FeedbackSources canWrite={canWrite} />
    </Page>
  );
}

function Thresholds({ canWrite }: { canWrite: boolean }) {
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: SETTINGS_KEY, queryFn: () => unwrap(api.GET("/api/v1/outreach/settings")) });
  const save = useMutation({
    mutationFn: (body: DeliverySettings) => unwrap(api.PUT("/api/v1/outreach/settings", { body })),
    onSuccess: (saved) => queryClient.setQueryData(SETTINGS_KEY, saved),
  });

  return (
    <section aria-labelledby="thresholds-title" className={PANEL}>
      <h2 id="thresholds-title" className="text-lg font-semibold">
        Auto-pause
      </h2>
      <p className="text-sm text-slate-600">
        A mailbox or a campaign pauses by itself when its bounce or complaint rate over the last 30 days passes these thresholds,
        once it has sent the minimum. Its page then says why; activate it again once the cause is fixed.
      </p>
      {settings.isLoading && <p className="text-sm text-slate-500">Loading…</p>}
      {settings.error && <Alert tone="error">{settings.error.message}</Alert>}
      {settings.data && (
        // Shown afresh from what was saved.
        <ThresholdsSettings
          key={JSON.stringify(settings.data)}
          stored={settings.data}
          canWrite={canWrite}
          saving={save.isPending}
          onSave={(body, onError) => save.mutate(body, { onError })}
        />
      )}
      {save.error && <Alert tone="error">{save.error.message}</Alert>}
      {save.isSuccess && !save.isPending && <Alert tone="success">Thresholds saved.</Alert>}
    </section>
  );
}

interface SettingsProps {
  stored: DeliverySettings;
  canWrite: boolean;
  saving: boolean;
  onSave: (body: DeliverySettings, onError: (error: unknown) => void) => void;
}

function ThresholdsSettings({ stored, canWrite, saving, onSave }: SettingsProps) {
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors },
  } = useForm<ThresholdsForm>({ defaultValues: settingsToForm(stored) });
  const submit = (values: ThresholdsForm) => onSave(formToSettings(values), (error) => showFieldErrors(error, setError));
  const percent = { inputMode: "decimal", autoComplete: "off" } as const;

  return (
    <form aria-label="Auto-pause thresholds" onSubmit={handleSubmit(submit)} noValidate>
      <fieldset disabled={!canWrite} className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <TextField
          label="Bounce rate (%)"
          {...percent}
          hint="Default 2 %: above that, mailbox providers start to distrust the sender."
          error={errors.bounce_pause_rate?.message}
          {...register("bounce_pause_rate", { validate: checkPercent })}
        />
        <TextField
          label="Complaint rate (%)"
          {...percent}
          hint="Default 0.1 %: Gmail and Yahoo ask bulk senders to stay well under 0.3 %."
          error={errors.complaint_pause_rate?.message}
          {...register("complaint_pause_rate", { validate: checkPercent })}
        />
        <TextField
          label="Minimum sent"
          type="number"
          inputMode="numeric"
          min={1}
          hint="Messages sent in 30 days before the rates count (default 50)."
          error={errors.pause_min_sent?.message}
          {...register("pause_min_sent", { required: "Give a number of messages." })}
        />
        {canWrite && (
          <div className="sm:col-span-3">
            <Button type="submit" disabled={saving}>
              {saving ? "Saving…" : "Save thresholds"}
            </Button>
          </div>
        )}
      </fieldset>
    </form>
  );
}
