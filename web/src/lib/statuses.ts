// The tenant's lead statuses (GET /api/v1/lead-statuses), read once per page and shared.
import { useQuery } from "@tanstack/react-query";

import { unwrap } from "../api/call";
import { api } from "../api/instance";

export function useLeadStatuses(): string[] {
  const { data } = useQuery({
    queryKey: ["lead-statuses"],
    queryFn: () => unwrap(api.GET("/api/v1/lead-statuses")),
    staleTime: 5 * 60_000,
  });
  return data?.statuses ?? [];
}
