// Finding leads from a campaign's page: a search box over `GET /api/v1/leads?q=…` (the leads
// list's own search), read a moment after typing stops. Nothing is listed before a search.
import { useList } from "@refinedev/core";
import { useEffect, useState } from "react";

import { leadName, type Lead } from "../../lib/leads";
import { SEARCH_FIELD } from "../../providers/list-query";
import { CONTROL } from "./styles";

export interface LeadSearch {
  search: string;
  setSearch: (search: string) => void;
  /** The leads of the last search (none before one). */
  leads: Lead[];
  /** How many leads match, across pages. */
  total: number;
  loading: boolean;
  error: string | undefined;
}

export function useLeadSearch(pageSize: number): LeadSearch {
  const [search, setSearch] = useState("");
  const [applied, setApplied] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setApplied(search.trim()), 300);
    return () => clearTimeout(timer);
  }, [search]);
  const { result, query } = useList<Lead>({
    resource: "leads",
    filters: [{ field: SEARCH_FIELD, operator: "eq", value: applied }],
    pagination: { currentPage: 1, pageSize },
    liveMode: "off",
    queryOptions: { enabled: applied !== "" },
  });
  const shown = applied === "" ? [] : (result.data ?? []);
  return {
    search,
    setSearch,
    leads: shown,
    total: applied === "" ? 0 : (result.total ?? shown.length),
    loading: applied !== "" && query.isFetching,
    error: query.error?.message,
  };
}

export function LeadSearchBox({ search, label }: { search: LeadSearch; label: string }) {
  return (
    <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
      {label}
      <input
        type="search"
        className={CONTROL}
        placeholder="Name, email or company"
        value={search.search}
        onChange={(e) => search.setSearch(e.target.value)}
      />
    </label>
  );
}

/** A lead as a line of a result list: its name and its email. */
export function LeadLine({ lead }: { lead: Lead }) {
  return (
    <span>
      <span className="font-medium">{leadName(lead)}</span>
      {lead.email && <span className="ml-2 text-xs text-slate-500">{lead.email}</span>}
    </span>
  );
}
