// Refine's data provider for every resource under /api/v1: `<resource>` lists and creates,
// `<resource>/<id>` reads, updates (PATCH) and deletes. Lists use the native encoding and
// read the total from X-Total-Count. Every failure is thrown as an HttpError (./problem).
// A resource whose API lives under another path (`flows` under `orchestration/flows`) names
// it in its `meta.apiPath` (src/resources.ts): its name stays what its live channel is called.
// A resource whose API replaces a record with PUT rather than patching it says so in its
// `meta.updateMethod` (the outreach mailboxes and campaigns).
import type { BaseRecord, DataProvider, MetaQuery } from "@refinedev/core";

import type { Api } from "../api/client";
import { networkError, toHttpError } from "../api/problem";
import { encodeListQuery } from "./list-query";

const API_PREFIX = "/api/v1";

type Method = "get" | "post" | "put" | "patch" | "delete";

interface Call {
  query?: Record<string, unknown>;
  body?: unknown;
}

// The generated client types the routes it knows; this provider serves any resource, so it
// calls the same client (same cookies, query encoding and refresh retry) with untyped paths.
interface UntypedClient {
  request(
    method: Method,
    path: string,
    init: { params: { query?: Record<string, unknown> }; body?: unknown },
  ): Promise<{ data?: unknown; error?: unknown; response: Response }>;
}

export function createDataProvider(api: Api): DataProvider {
  const client = api as unknown as UntypedClient;

  async function call<T>(method: Method, path: string, { query, body }: Call = {}) {
    const init = { params: { query }, body };
    const result = await client.request(method, path, init).catch((cause: unknown) => {
      throw networkError(cause);
    });
    if (!result.response.ok) throw toHttpError(result.response.status, result.error);
    return { data: result.data as T, response: result.response };
  }

  const list = (resource: string, meta: MetaQuery | undefined) =>
    `${API_PREFIX}/${typeof meta?.apiPath === "string" ? meta.apiPath : resource}`;
  const item = (resource: string, id: string | number, meta: MetaQuery | undefined) =>
    `${list(resource, meta)}/${encodeURIComponent(String(id))}`;

  return {
    getApiUrl: () => API_PREFIX,

    async getList({ resource, pagination, sorters, filters, meta }) {
      const query = encodeListQuery({ pagination, sorters, filters });
      const { data, response } = await call<never[]>("get", list(resource, meta), { query });
      const total = Number(response.headers.get("x-total-count") ?? data.length);
      return { data, total };
    },

    async getMany({ resource, ids, meta }) {
      const query = encodeListQuery({
        pagination: { mode: "off" },
        filters: [{ field: "id", operator: "in", value: ids }],
      });
      const { data } = await call<never[]>("get", list(resource, meta), { query });
      return { data };
    },

    async getOne({ resource, id, meta }) {
      return { data: (await call<never>("get", item(resource, id, meta))).data };
    },

    async create({ resource, variables, meta }) {
      return { data: (await call<never>("post", list(resource, meta), { body: variables })).data };
    },

    async update({ resource, id, variables, meta }) {
      const method = meta?.updateMethod === "put" ? "put" : "patch";
      return { data: (await call<never>(method, item(resource, id, meta), { body: variables })).data };
    },

    async deleteOne<TData extends BaseRecord>({
      resource,
      id,
      meta,
    }: {
      resource: string;
      id: string | number;
      meta?: MetaQuery;
    }) {
      await call("delete", item(resource, id, meta));
      return { data: { id } as TData };
    },
  };
}
