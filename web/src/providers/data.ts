// Refine's data provider for every resource under /api/v1: `<resource>` lists and creates,
// `<resource>/<id>` reads, updates (PATCH) and deletes. Lists use the native encoding and
// read the total from X-Total-Count. Every failure is thrown as an HttpError (./problem).
import type { BaseRecord, DataProvider } from "@refinedev/core";

import type { Api } from "../api/client";
import { networkError, toHttpError } from "../api/problem";
import { encodeListQuery } from "./list-query";

const API_PREFIX = "/api/v1";

type Method = "get" | "post" | "patch" | "delete";

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

  const item = (resource: string, id: string | number) =>
    `${API_PREFIX}/${resource}/${encodeURIComponent(String(id))}`;

  return {
    getApiUrl: () => API_PREFIX,

    async getList({ resource, pagination, sorters, filters }) {
      const query = encodeListQuery({ pagination, sorters, filters });
      const { data, response } = await call<never[]>("get", `${API_PREFIX}/${resource}`, { query });
      const total = Number(response.headers.get("x-total-count") ?? data.length);
      return { data, total };
    },

    async getMany({ resource, ids }) {
      const query = encodeListQuery({
        pagination: { mode: "off" },
        filters: [{ field: "id", operator: "in", value: ids }],
      });
      const { data } = await call<never[]>("get", `${API_PREFIX}/${resource}`, { query });
      return { data };
    },

    async getOne({ resource, id }) {
      return { data: (await call<never>("get", item(resource, id))).data };
    },

    async create({ resource, variables }) {
      return { data: (await call<never>("post", `${API_PREFIX}/${resource}`, { body: variables })).data };
    },

    async update({ resource, id, variables }) {
      return { data: (await call<never>("patch", item(resource, id), { body: variables })).data };
    },

    async deleteOne<TData extends BaseRecord>({ resource, id }: { resource: string; id: string | number }) {
      await call("delete", item(resource, id));
      return { data: { id } as TData };
    },
  };
}
