// Refine's native list encoding, as the API reads it (docs/API.md, "Lists"): pagination,
// sorters and filters (all 30 CrudOperators, `or`/`and` groups nested to any depth) become
// a query object that the client serialises with qs brackets.
import type { ConditionalFilter, CrudFilter, CrudSort, Pagination } from "@refinedev/core";

/** A top-level filter on this pseudo-field is the resource's full-text search (`q=`). */
export const SEARCH_FIELD = "q";

type EncodedFilter =
  | { field: string; operator: string; value?: unknown }
  | { operator: "or" | "and"; value: EncodedFilter[] };

export type ListQuery = {
  pagination: { currentPage: number; pageSize: number; mode: "server" | "client" | "off" };
  sorters?: CrudSort[];
  filters?: EncodedFilter[];
  q?: string;
};

export function encodeListQuery({
  pagination,
  sorters,
  filters,
}: {
  pagination?: Pagination;
  sorters?: CrudSort[];
  filters?: CrudFilter[];
}): ListQuery {
  const query: ListQuery = {
    pagination: {
      currentPage: pagination?.currentPage ?? 1,
      pageSize: pagination?.pageSize ?? 10,
      mode: pagination?.mode ?? "server",
    },
  };
  if (sorters?.length) query.sorters = sorters.map(({ field, order }) => ({ field, order }));
  const fieldFilters: CrudFilter[] = [];
  for (const filter of filters ?? []) {
    if (!isGroup(filter) && filter.field === SEARCH_FIELD) {
      if (filter.value !== undefined && filter.value !== "") query.q = String(filter.value);
    } else {
      fieldFilters.push(filter);
    }
  }
  if (fieldFilters.length) query.filters = fieldFilters.map(encodeFilter);
  return query;
}

/** Drops what the API does not read: a group's `key`, and the value of `null`/`nnull`. */
function encodeFilter(filter: CrudFilter): EncodedFilter {
  if (isGroup(filter)) {
    return { operator: filter.operator, value: filter.value.map(encodeFilter) };
  }
  const { field, operator, value } = filter;
  return operator === "null" || operator === "nnull" ? { field, operator } : { field, operator, value };
}

function isGroup(filter: CrudFilter): filter is ConditionalFilter {
  return filter.operator === "or" || filter.operator === "and";
}
