// An execution's event history, as Step Functions' console shows it: id, type, state, time
// and the time since the start, each event's details unfolded on demand. Read a page at a
// time (`?after=<last id>`); refetched by the execution page when the execution moves.
import { useInfiniteQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import { Button } from "../../components/Button";
import { formatDuration } from "../../lib/measures";
import { JsonBlock } from "./JsonBlock";

export const HISTORY_PAGE = 100;
export const historyKey = (executionId: string) => ["execution-history", executionId] as const;

const time = (at: string) =>
  new Date(at).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", fractionalSecondDigits: 3 });

export function HistoryTable({ executionId, startedAt }: { executionId: string; startedAt: string }) {
  const history = useInfiniteQuery({
    queryKey: historyKey(executionId),
    initialPageParam: 0,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/orchestration/executions/{id}/history", {
          params: { path: { id: executionId }, query: pageParam > 0 ? { after: pageParam, limit: HISTORY_PAGE } : { limit: HISTORY_PAGE } },
        }),
      ),
    getNextPageParam: (last) => (last.length === HISTORY_PAGE ? last.at(-1)?.id : undefined),
  });
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = (id: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const events = history.data?.pages.flat() ?? [];
  const start = Date.parse(startedAt);

  return (
    <div className="flex flex-col gap-2">
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200 text-sm" aria-busy={history.isFetching}>
          <caption className="sr-only">Event history</caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
            <tr>
              <th scope="col" className="px-4 py-2">
                ID
              </th>
              <th scope="col" className="px-4 py-2">
                Type
              </th>
              <th scope="col" className="px-4 py-2">
                State
              </th>
              <th scope="col" className="px-4 py-2">
                Time
              </th>
              <th scope="col" className="px-4 py-2">
                Elapsed
              </th>
              <th scope="col" className="px-4 py-2">
                <span className="sr-only">Details</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {events.map((event) => (
              <Fragment key={event.id}>
                <tr className={event.type.endsWith("Failed") || event.type.endsWith("TimedOut") ? "bg-red-50" : undefined}>
                  <td className="px-4 py-1.5 tabular-nums">{event.id}</td>
                  <td className="px-4 py-1.5 font-medium">{event.type}</td>
                  <td className="px-4 py-1.5">{event.state ?? "—"}</td>
                  <td className="px-4 py-1.5 whitespace-nowrap tabular-nums">{time(event.at)}</td>
                  <td className="px-4 py-1.5 whitespace-nowrap tabular-nums">{formatDuration(Date.parse(event.at) - start)}</td>
                  <td className="px-4 py-1.5 text-right">
                    <Button
                      variant="link"
                      aria-expanded={open.has(event.id)}
                      aria-label={`Show the details of event ${event.id}`}
                      onClick={() => toggle(event.id)}
                    >
                      {open.has(event.id) ? "Hide" : "Details"}
                    </Button>
                  </td>
                </tr>
                {open.has(event.id) && (
                  <tr>
                    <td colSpan={6} className="px-4 py-2">
                      <JsonBlock value={event.details} label={`Details of event ${event.id}`} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
            {events.length === 0 && (
              <tr>
                {history.error ? (
                  <td colSpan={6} role="alert" className="px-4 py-6 text-center text-red-700">
                    {history.error.message}
                  </td>
                ) : (
                  <td colSpan={6} className="px-4 py-6 text-center text-slate-500">
                    {history.isLoading ? "Loading…" : "No events yet."}
                  </td>
                )}
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {history.hasNextPage && (
        <div>
          <Button variant="secondary" onClick={() => void history.fetchNextPage()} disabled={history.isFetchingNextPage}>
            Show more events
          </Button>
        </div>
      )}
    </div>
  );
}
