// The HTTP client generated from web/openapi.json (types in ./schema.ts, by `npm run gen`),
// sending the session cookies (`credentials: "include"`) and encoding query objects the way
// the API reads them (qs brackets: `filters[0][value][1]=b`). A request refused because the
// access cookie expired is retried once after a silent refresh.
import createClient, { type Client } from "openapi-fetch";
import qs from "qs";

import type { paths } from "./schema";
import { createSession, type Session, type Timers } from "./session";

export type Api = Client<paths>;

export interface ApiOptions {
  /** Origin of the API; empty for the page's own origin. */
  baseUrl?: string;
  fetch?: (request: Request) => Promise<Response>;
  timers?: Timers;
}

export function serializeQuery(query: Record<string, unknown>): string {
  return qs.stringify(query, { encodeValuesOnly: true });
}

export function createApi(options: ApiOptions = {}): { api: Api; session: Session } {
  const fetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const common = {
    baseUrl: options.baseUrl ?? "",
    credentials: "include" as const,
    querySerializer: serializeQuery,
  };
  const bare = createClient<paths>({ ...common, fetch });
  const session = createSession(async () => {
    const { data } = await bare.POST("/api/v1/auth/refresh");
    return data ? new Date(data.access_expires_at) : null;
  }, options.timers);
  const api = createClient<paths>({ ...common, fetch: retryAfterRefresh(fetch, session) });
  return { api, session };
}

/** Retries a request once when it was refused with `unauthorized` and a refresh succeeds. */
function retryAfterRefresh(
  fetch: (request: Request) => Promise<Response>,
  session: Session,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const retry = request.clone();
    const response = await fetch(request);
    if (response.status !== 401 || !(await sessionExpired(response))) return response;
    return (await session.refresh()) ? fetch(retry) : response;
  };
}

/** `unauthorized` means no valid session; other 401 codes (wrong password, bad key) do not. */
async function sessionExpired(response: Response): Promise<boolean> {
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => null);
  return typeof body === "object" && body !== null && (body as { code?: unknown }).code === "unauthorized";
}
