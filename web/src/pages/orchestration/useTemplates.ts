// The built-in flows a new flow may start from (GET /orchestration/templates), read once per page.
import { useQuery } from "@tanstack/react-query";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";

export function useTemplates() {
  return useQuery({
    queryKey: ["flow-templates"],
    queryFn: () => unwrap(api.GET("/api/v1/orchestration/templates")),
    staleTime: 5 * 60_000,
  });
}
