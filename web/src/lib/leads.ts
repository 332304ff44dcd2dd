// Small pure helpers of the lead screens.
import { isApiError } from "../api/problem";
import type { components } from "../api/schema";
import { serializeQuery } from "../api/client";
import { encodeListQuery } from "../providers/list-query";
import type { CrudFilter, CrudSort } from "@refinedev/core";

export type Lead = components["schemas"]["Lead"];

/** What a lead is called: its name, else its company, else its email or phone. */
export function leadName(lead: Pick<Lead, "first_name" | "last_name" | "company" | "email" | "phone">): string {
  const name = [lead.first_name, lead.last_name].filter(Boolean).join(" ");
  return name || lead.company || lead.email || lead.phone || "(no name)";
}

/**
 * A form's values as the API wants them: text inputs give "" for an empty field, which the
 * API would read as a value; it means "none" (`null`) here. Numbers typed as text become numbers.
 */
export function formToPayload(values: Record<string, unknown>): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === "string") {
      const trimmed = value.trim();
      payload[key] = trimmed === "" ? null : key === "score" ? Number(trimmed) : trimmed;
    } else {
      payload[key] = value;
    }
  }
  return payload;
}

/** Whether a write was refused because the record changed meanwhile (409 version_conflict or
 * 412 precondition_failed). */
export function isStaleWrite(error: unknown): boolean {
  return (
    isApiError(error) &&
    ((error.statusCode === 409 && error.code === "version_conflict") || error.statusCode === 412)
  );
}

/**
 * The list's filters and search (and its sort, when given) as the leads list sends them to the
 * API, without paging: the query string of the CSV export, and the `filter` that enrolls every
 * lead the list shows (`POST …/campaigns/{id}/enrollments`). Empty when there are none of them.
 */
export function leadsListQuery(filters: CrudFilter[], sorters: CrudSort[] = []): string {
  const { sorters: sort, filters: filter, q } = encodeListQuery({ filters, sorters });
  return serializeQuery({ sorters: sort, filters: filter, q });
}

/** The CSV export of the list as it is filtered and sorted now (paging is left out). */
export function exportUrl(filters: CrudFilter[], sorters: CrudSort[]): string {
  const search = leadsListQuery(filters, sorters);
  return `/api/v1/leads/export.csv${search ? `?${search}` : ""}`;
}
