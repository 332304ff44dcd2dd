// Creating a flow (`/flows/create`, `?template=data-pipeline` to start from a template): name,
// description, project, and the definition as JSON, drawn beside the form as it is typed. The
// server's field errors show under their fields; a refused definition lists its errors by
// state and path, and marks those states in the drawing.
import { useGo, useList, type HttpError } from "@refinedev/core";
import { useForm } from "@refinedev/react-hook-form";
import { useDeferredValue, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";

import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { Field, TextField } from "../../components/Field";
import { Page } from "../../components/Page";
import {
  definitionErrorsOf,
  parseJsonObject,
  prettyJson,
  STARTER_DEFINITION,
  statesInError,
  type DefinitionError,
  type FlowDetail,
} from "../../lib/flows";
import type { Project } from "../../lib/projects";
import { DefinitionErrors } from "./DefinitionErrors";
import { StateGraph } from "./StateGraph";
import { CODE, CONTROL } from "./styles";
import { useTemplates } from "./useTemplates";


/** The form's values: each input's text. */
interface FlowForm {
  name: string;
  description: string;
  project_id: string;
  definition: string;
}

export default function FlowCreatePage() {
  const [params] = useSearchParams();
  const templateName = params.get("template");
  const templates = useTemplates();
  if (!templateName) return <FlowCreateForm initial={{ name: "", description: "", project_id: "", definition: prettyJson(STARTER_DEFINITION) }} />;
  if (templates.error) {
    return (
      <Page title="New flow">
        <Alert tone="error">{templates.error.message}</Alert>
      </Page>
    );
  }
  if (!templates.data) return <p className="text-slate-500">Loading…</p>;
  const template = templates.data.find((t) => t.name === templateName);
  if (!template) {
    return (
      <Page title="New flow">
        <Alert tone="error">There is no template named “{templateName}”.</Alert>
      </Page>
    );
  }
  return (
    <FlowCreateForm
      key={template.name}
      template={template.name}
      initial={{ name: template.name, description: template.description, project_id: "", definition: prettyJson(template.definition) }}
    />
  );
}

function FlowCreateForm({ initial, template }: { initial: FlowForm; template?: string }) {
  const go = useGo();
  const [definitionErrors, setDefinitionErrors] = useState<DefinitionError[]>([]);
  const projects = useList<Project>({ resource: "projects", pagination: { pageSize: 200 }, sorters: [{ field: "name", order: "asc" }] });
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors },
    refineCore: { onFinish, formLoading },
  } = useForm<FlowDetail, HttpError, FlowForm>({
    defaultValues: initial,
    refineCoreProps: {
      resource: "flows",
      action: "create",
      redirect: false,
      successNotification: () => ({ type: "success", message: "Flow created." }),
      errorNotification: (error) => ({ type: "error", message: error?.message ?? "The flow was not created." }),
      onMutationError: (error) => {
        const found = definitionErrorsOf(error);
        setDefinitionErrors(found);
        if (found.length > 0) setError("definition", { type: "server", message: definitionSummary(found) });
      },
      onMutationSuccess: ({ data }) => go({ to: `/flows/${data.id}` }),
    },
  });

  const text = useDeferredValue(watch("definition"));
  const drawn = useMemo(() => parseJsonObject(text), [text]);
  const marked = useMemo(() => statesInError(definitionErrors), [definitionErrors]);

  const submit = (values: FlowForm) => {
    setDefinitionErrors([]);
    const parsed = parseJsonObject(values.definition);
    if (!parsed.ok) {
      setError("definition", { type: "client", message: parsed.message });
      return;
    }
    const payload = {
      name: values.name.trim(),
      description: values.description.trim(),
      project_id: values.project_id || null,
      definition: parsed.value,
    };
    return onFinish(payload as unknown as FlowForm).catch(() => undefined);
  };

  return (
    <Page title={template ? `New flow from ${template}` : "New flow"} wide>
      <div className="grid gap-6 lg:grid-cols-2">
        <form className="flex flex-col gap-4" onSubmit={handleSubmit(submit)} noValidate aria-label="New flow">
          <TextField
            label="Name"
            hint="Letters, digits, _ . and -; unique among your flows."
            error={errors.name?.message}
            {...register("name", { required: "Give the flow a name." })}
          />
          <Field label="Description" error={errors.description?.message}>
            {(control) => <textarea rows={2} className={CONTROL} {...control} {...register("description")} />}
          </Field>
          <Field label="Project" error={errors.project_id?.message} hint="Optional: the data project whose tree its Task states colour.">
            {(control) => (
              <select className={CONTROL} {...control} {...register("project_id")}>
                <option value="">None</option>
                {projects.result.data.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Definition"
            error={errors.definition?.message}
            hint="Amazon States Language, as JSON: StartAt and States."
          >
            {(control) => <textarea rows={22} spellCheck={false} className={CODE} {...control} {...register("definition")} />}
          </Field>
          <DefinitionErrors errors={definitionErrors} title="The server refused the definition" />
          <div className="flex gap-2">
            <Button type="submit" disabled={formLoading}>
              Create flow
            </Button>
            <Link
              to="/flows"
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium shadow-xs hover:bg-slate-100"
            >
              Cancel
            </Link>
          </div>
        </form>
        <section aria-label="Preview" className="flex flex-col gap-2">
          <h2 className="text-sm font-semibold text-slate-700">Preview</h2>
          {drawn.ok ? (
            <StateGraph definition={drawn.value} errors={marked} />
          ) : (
            <p className="text-sm text-slate-500">{drawn.message}</p>
          )}
        </section>
      </div>
    </Page>
  );
}

function definitionSummary(errors: DefinitionError[]): string {
  return `The definition has ${errors.length} error${errors.length === 1 ? "" : "s"}, listed below.`;
}
