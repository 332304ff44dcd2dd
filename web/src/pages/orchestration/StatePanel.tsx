// The side panel of one state in an execution: how far it got (its colour), how many times it
// was entered, its error and cause, and its input and output, as the execution's state
// progress has them.
import { Button } from "../../components/Button";
import { stateLook } from "../../lib/execution-status";
import type { ExecutionDetail } from "../../lib/flows";
import { JsonBlock } from "./JsonBlock";

interface StatePanelProps {
  name: string;
  type: string;
  progress: string;
  detail: ExecutionDetail["states"][string] | undefined;
  onClose: () => void;
}

export function StatePanel({ name, type, progress, detail, onClose }: StatePanelProps) {
  const look = stateLook(progress);
  return (
    <aside
      id="state-panel"
      aria-labelledby="state-panel-title"
      className="flex w-full flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 lg:w-96 lg:shrink-0"
    >
      <div className="flex items-start justify-between gap-2">
        <div>
          <h3 id="state-panel-title" className="text-lg font-semibold break-all">
            {name}
          </h3>
          <p className="text-xs text-slate-500">{type}</p>
        </div>
        <Button variant="secondary" onClick={onClose} aria-label={`Close the panel of ${name}`}>
          Close
        </Button>
      </div>
      <p className="inline-flex items-center gap-1.5 text-sm" data-testid="state-panel-status" data-status={progress}>
        <span aria-hidden="true" className="h-2.5 w-2.5 rounded-full" style={{ backgroundColor: look.colour }} />
        {look.label}
        {detail && detail.entered > 1 && <span className="text-slate-500">(entered {detail.entered} times)</span>}
      </p>
      {(detail?.error || detail?.cause) && (
        <div className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          <p className="font-medium">{detail.error ?? "Error"}</p>
          {detail.cause && <p className="break-words whitespace-pre-wrap">{detail.cause}</p>}
        </div>
      )}
      {detail ? (
        <>
          <h4 className="text-sm font-semibold">Input</h4>
          <JsonBlock value={detail.input ?? undefined} label={`Input of ${name}`} />
          <h4 className="text-sm font-semibold">Output</h4>
          <JsonBlock value={detail.output ?? undefined} label={`Output of ${name}`} />
        </>
      ) : (
        <p className="text-sm text-slate-500">This execution has not entered this state.</p>
      )}
    </aside>
  );
}
