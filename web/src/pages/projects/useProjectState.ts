// The project page's live state: the state document (GET /api/v1/projects/{id}/state, sent
// again with its ETag, so an unchanged document costs a 304), kept current by the events of
// the project's channel. A node's status and the month's cost change on screen from the event
// itself; the document is then fetched again, once for a burst of events, for what the events
// do not carry (a run's metrics, the provider split, the tree's new shape).
import { useNotification, useSubscription } from "@refinedev/core";
import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";

import { api } from "../../api/instance";
import { networkError, toHttpError } from "../../api/problem";
import { formatMoney } from "../../lib/money";
import {
  applyCost,
  applyNodeStatus,
  PROJECT_EVENTS,
  projectChannel,
  readBudgetAlert,
  readCost,
  readNodeStatus,
  type ProjectState,
} from "../../lib/project-state";

/** Events closer together than this share one fetch of the document. */
const REFETCH_AFTER_MS = 250;

interface Cached {
  state: ProjectState;
  etag: string | null;
}

export const stateKey = (projectId: string) => ["project-state", projectId] as const;
/** The key of a node's detail; without the node, every node of the project. */
export const nodeKey = (projectId: string, nodeId?: string) =>
  nodeId === undefined ? (["project-node", projectId] as const) : (["project-node", projectId, nodeId] as const);

async function fetchState(projectId: string, previous: Cached | undefined): Promise<Cached> {
  const result = await api
    .GET("/api/v1/projects/{id}/state", {
      params: { path: { id: projectId } },
      headers: previous?.etag ? { "If-None-Match": previous.etag } : {},
    })
    .catch((cause: unknown) => {
      throw networkError(cause);
    });
  if (result.response.status === 304 && previous) return previous;
  if (!result.response.ok || !result.data) throw toHttpError(result.response.status, result.error);
  return { state: result.data, etag: result.response.headers.get("etag") };
}

export function useProjectState(projectId: string) {
  const queryClient = useQueryClient();
  const { open } = useNotification();
  const key = stateKey(projectId);
  const query = useQuery({
    queryKey: key,
    queryFn: () => fetchState(projectId, queryClient.getQueryData<Cached>(key)),
    select: (cached) => cached.state,
  });

  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const refetchSoon = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      void queryClient.invalidateQueries({ queryKey: key });
    }, REFETCH_AFTER_MS);
  };

  // Subscribed once for the page's life (Refine's hook keeps the first callback), so it reads
  // nothing from a render but the project id, the query client and the notifier.
  useSubscription({
    channel: projectChannel(projectId),
    types: [...PROJECT_EVENTS],
    onLiveEvent: (event) => {
      const payload = event.payload as Record<string, unknown> | undefined;
      switch (event.type) {
        case "node.status": {
          const change = readNodeStatus(payload);
          if (change) void patch(queryClient, projectId, (state) => applyNodeStatus(state, change));
          void queryClient.invalidateQueries({ queryKey: nodeKey(projectId, change?.nodeId) });
          break;
        }
        case "node.updated": {
          const nodeId = typeof payload?.nodeId === "string" ? payload.nodeId : undefined;
          void queryClient.invalidateQueries({ queryKey: nodeKey(projectId, nodeId) });
          break;
        }
        case "run.updated":
        case "tree.updated":
          void queryClient.invalidateQueries({ queryKey: nodeKey(projectId) });
          break;
        case "cost.updated": {
          const cost = readCost(payload);
          if (cost) void patch(queryClient, projectId, (state) => applyCost(state, cost));
          break;
        }
        case "project.budget_alert": {
          const alert = readBudgetAlert(payload);
          if (alert) {
            open?.({
              type: "error",
              key: `budget-${projectId}-${alert.month}-${alert.threshold}`,
              message: `Budget ${alert.threshold}% reached`,
              description: `${formatMoney(alert.amount, alert.currency)} of ${formatMoney(alert.budget, alert.currency)} spent in ${alert.month}.`,
            });
          }
          break;
        }
      }
      refetchSoon();
    },
  });

  return query;
}

/** Applies a change to the cached document; a fetch under way (which may have started before
 * the change) is cancelled first, so it cannot put the old state back. */
async function patch(queryClient: QueryClient, projectId: string, change: (state: ProjectState) => ProjectState) {
  const key = stateKey(projectId);
  await queryClient.cancelQueries({ queryKey: key });
  queryClient.setQueryData<Cached>(key, (cached) => cached && { ...cached, state: change(cached.state) });
}
