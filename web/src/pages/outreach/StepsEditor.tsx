// The campaign builder's sequence: steps added, removed and moved, each with its delay (a
// number and a unit) and one to five weighted variants of its message (A/B testing).
import { useFieldArray, useWatch, type Control, type FieldErrors, type UseFormRegister } from "react-hook-form";

import { Button } from "../../components/Button";
import { Field, TextField } from "../../components/Field";
import {
  DELAY_UNITS,
  delayMinutes,
  describeDelay,
  EMPTY_VARIANT,
  MAX_STEPS,
  MAX_VARIANTS,
  newStep,
  variantLetter,
  type CampaignForm,
} from "../../lib/campaigns";
import { CONTROL } from "./styles";

interface EditorProps {
  control: Control<CampaignForm>;
  register: UseFormRegister<CampaignForm>;
  errors: FieldErrors<CampaignForm>;
}

export function StepsEditor({ control, register, errors }: EditorProps) {
  const { fields, append, remove, move } = useFieldArray({ control, name: "steps" });
  const arrayError = errors.steps?.message ?? errors.steps?.root?.message;
  return (
    <section aria-labelledby="steps-title" className="flex flex-col gap-3">
      <h2 id="steps-title" className="text-lg font-semibold">
        Steps
      </h2>
      {arrayError && (
        <p role="alert" className="text-sm text-red-700">
          {arrayError}
        </p>
      )}
      {fields.length === 0 && <p className="text-sm text-slate-500">No steps yet: a campaign needs one to be activated.</p>}
      <ol className="flex flex-col gap-3">
        {fields.map((field, index) => (
          <li key={field.id}>
            <article aria-label={`Step ${index + 1}`} className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4">
              <header className="flex flex-wrap items-center justify-between gap-2">
                <h3 className="font-semibold">Step {index + 1}</h3>
                <span className="flex gap-1">
                  <Button variant="secondary" aria-label={`Move step ${index + 1} up`} disabled={index === 0} onClick={() => move(index, index - 1)}>
                    ↑
                  </Button>
                  <Button
                    variant="secondary"
                    aria-label={`Move step ${index + 1} down`}
                    disabled={index === fields.length - 1}
                    onClick={() => move(index, index + 1)}
                  >
                    ↓
                  </Button>
                  <Button variant="secondary" aria-label={`Remove step ${index + 1}`} onClick={() => remove(index)}>
                    Remove
                  </Button>
                </span>
              </header>
              <Delay control={control} register={register} errors={errors} index={index} />
              <Variants control={control} register={register} errors={errors} index={index} />
            </article>
          </li>
        ))}
      </ol>
      <div>
        <Button variant="secondary" disabled={fields.length >= MAX_STEPS} onClick={() => append(newStep(fields.length === 0))}>
          Add step
        </Button>
      </div>
    </section>
  );
}

function Delay({ control, register, errors, index }: EditorProps & { index: number }) {
  const [amount, unit] = useWatch({ control, name: [`steps.${index}.delay_amount`, `steps.${index}.delay_unit`] });
  const error = errors.steps?.[index]?.delay_amount?.message;
  return (
    <div className="flex flex-wrap items-end gap-3">
      <div className="w-28">
        <TextField
          label="Wait"
          type="number"
          inputMode="decimal"
          min={0}
          step="any"
          error={error}
          {...register(`steps.${index}.delay_amount`)}
        />
      </div>
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
        <span className="sr-only">Unit of step {index + 1}'s wait</span>
        <select className={CONTROL} {...register(`steps.${index}.delay_unit`)}>
          {DELAY_UNITS.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </label>
      <p className="pb-2 text-sm text-slate-600">Sent {describeDelay(delayMinutes(amount ?? "0", unit ?? "minutes"), index === 0)}.</p>
    </div>
  );
}

function Variants({ control, register, errors, index }: EditorProps & { index: number }) {
  const { fields, append, remove } = useFieldArray({ control, name: `steps.${index}.variants` });
  const stepErrors = errors.steps?.[index];
  const arrayError = stepErrors?.variants?.message ?? stepErrors?.variants?.root?.message;
  return (
    <div className="flex flex-col gap-3">
      {arrayError && (
        <p role="alert" className="text-sm text-red-700">
          {arrayError}
        </p>
      )}
      {fields.map((field, v) => {
        const name = `Step ${index + 1} variant ${variantLetter(v)}`;
        const variantErrors = stepErrors?.variants?.[v];
        return (
          <fieldset key={field.id} aria-label={name} className="flex flex-col gap-3 rounded-md border border-slate-200 p-3">
            <legend className="px-1 text-sm font-medium">
              Variant {variantLetter(v)}
              {fields.length > 1 && (
                <Button variant="link" className="ml-3 text-xs" aria-label={`Remove ${name}`} onClick={() => remove(v)}>
                  remove
                </Button>
              )}
            </legend>
            <div className="grid grid-cols-[1fr_6rem] gap-3">
              <TextField label="Subject" error={variantErrors?.subject?.message} {...register(`steps.${index}.variants.${v}.subject`)} />
              <TextField
                label="Weight"
                type="number"
                min={1}
                max={100}
                hint="Relative share."
                error={variantErrors?.weight?.message}
                {...register(`steps.${index}.variants.${v}.weight`)}
              />
            </div>
            <Field label="Body" error={variantErrors?.body?.message}>
              {(controlProps) => (
                <textarea rows={6} className={`${CONTROL} font-mono text-xs leading-5`} {...controlProps} {...register(`steps.${index}.variants.${v}.body`)} />
              )}
            </Field>
          </fieldset>
        );
      })}
      <div>
        <Button variant="secondary" disabled={fields.length >= MAX_VARIANTS} onClick={() => append({ ...EMPTY_VARIANT })}>
          Add variant to step {index + 1}
        </Button>
      </div>
    </div>
  );
}
