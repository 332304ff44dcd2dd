// A list's search box: writes `q` into the list's filters a moment after typing stops, and
// follows the filters when they change elsewhere (the URL, the back button).
import type { CrudFilter, LogicalFilter } from "@refinedev/core";
import { useEffect, useState } from "react";

import { SEARCH_FIELD } from "../../providers/list-query";

export function filterValue(filters: CrudFilter[], field: string): string {
  const found = filters.find((f): f is LogicalFilter => "field" in f && f.field === field);
  return found?.value == null ? "" : String(found.value);
}

export function useSearchFilter(filters: CrudFilter[], setFilters: (filters: CrudFilter[]) => void) {
  const applied = filterValue(filters, SEARCH_FIELD);
  const [search, setSearch] = useState(applied);
  const [seen, setSeen] = useState(applied);
  if (seen !== applied) {
    setSeen(applied);
    setSearch(applied);
  }
  useEffect(() => {
    if (search === applied) return;
    const timer = setTimeout(() => setFilters([{ field: SEARCH_FIELD, operator: "eq", value: search || undefined }]), 300);
    return () => clearTimeout(timer);
  }, [search, applied, setFilters]);
  return [search, setSearch] as const;
}
