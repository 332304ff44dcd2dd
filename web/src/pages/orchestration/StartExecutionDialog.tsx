// "Start execution": a modal dialog asking for an optional name and the input (a JSON object,
// checked here before it is sent). POST /orchestration/run-flow; the new execution (201), or
// the one already started with that name and input (200), opens on its page. A name used
// with another input (409) is said under the name.
import { useGo } from "@refinedev/core";
import { useMutation } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { Field, TextField } from "../../components/Field";
import { fieldError } from "../../lib/field-errors";
import { asApiObject, parseJsonObject, type JsonObject } from "../../lib/flows";
import { CODE } from "./styles";

interface Start {
  name: string | null;
  input: JsonObject;
}

export function StartExecutionDialog({ flowId, flowName }: { flowId: string; flowName: string }) {
  const go = useGo();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [name, setName] = useState("");
  const [input, setInput] = useState("{}");
  const [inputError, setInputError] = useState<string | undefined>();

  const start = useMutation({
    mutationFn: ({ name, input }: Start) =>
      unwrap(api.POST("/api/v1/orchestration/run-flow", { body: { flow_id: flowId, name, input: asApiObject(input) } })),
    onSuccess: (execution) => {
      dialog.current?.close();
      go({ to: `/executions/${execution.id}` });
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseJsonObject(input, {});
    setInputError(parsed.ok ? undefined : parsed.message);
    if (!parsed.ok) return;
    start.mutate({ name: name.trim() || null, input: parsed.value });
  };

  const nameError = fieldError(start.error, "name");
  const serverInputError = fieldError(start.error, "input");
  return (
    <>
      <Button
        onClick={() => {
          start.reset();
          dialog.current?.showModal();
        }}
      >
        Start execution
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="m-auto w-full max-w-lg rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40"
      >
        <form method="dialog" className="flex flex-col gap-4 p-5" onSubmit={submit} noValidate>
          <h2 id={titleId} className="text-lg font-semibold">
            Start an execution of {flowName}
          </h2>
          <TextField
            label="Execution name"
            hint="Optional. Starting again with the same name and input opens the first execution."
            value={name}
            error={nameError}
            onChange={(e) => setName(e.target.value)}
          />
          <Field label="Input" hint="A JSON object: the execution's state input." error={inputError ?? serverInputError}>
            {(control) => (
              <textarea rows={8} spellCheck={false} className={CODE} value={input} onChange={(e) => setInput(e.target.value)} {...control} />
            )}
          </Field>
          {start.error && !nameError && !serverInputError && <Alert tone="error">{start.error.message}</Alert>}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button type="submit" disabled={start.isPending}>
              Start
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
