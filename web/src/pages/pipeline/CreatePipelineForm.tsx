import { useCreate } from "@refinedev/core";
import { useState, type FormEvent } from "react";

import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";

const DEFAULT_STAGES = "New, Contacted, Qualified, Proposal, Won, Lost";

/** A new pipeline with its stages, named in order and separated by commas. */
export function CreatePipelineForm() {
  const [name, setName] = useState("Sales");
  const [stages, setStages] = useState(DEFAULT_STAGES);
  const { mutate, mutation } = useCreate();
  const errors = (mutation.error?.errors ?? {}) as Record<string, string | string[]>;
  const message = (key: string) => {
    const value = errors[key];
    return value === undefined ? undefined : Array.isArray(value) ? value.join(" ") : value;
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const names = stages.split(",").map((s) => s.trim()).filter(Boolean);
    mutate({
      resource: "pipelines",
      values: {
        name,
        stages: names.map((stage) => ({ name: stage, is_won: /^won$/i.test(stage), is_lost: /^lost$/i.test(stage) })),
      },
    });
  };

  return (
    <form aria-label="Create a pipeline" className="flex max-w-lg flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4" onSubmit={submit}>
      <TextField label="Pipeline name" value={name} onChange={(e) => setName(e.target.value)} error={message("name")} />
      <TextField
        label="Stages"
        hint="In order, separated by commas."
        value={stages}
        onChange={(e) => setStages(e.target.value)}
        error={message("stages")}
      />
      <div>
        <Button type="submit" disabled={mutation.isPending}>
          Create pipeline
        </Button>
      </div>
    </form>
  );
}
