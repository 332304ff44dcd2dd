// The kanban's bookkeeping, kept pure: where each lead shows while moves are in flight, and
// what a drop asks the server.
import type { Lead } from "./leads";

/** Leads by stage id, in board order (rank, as the server sorts them), with the moves not yet
 * confirmed applied: a moved lead shows at the bottom of its new stage. */
export function columns(leads: Lead[], stageIds: string[], pending: Record<string, string>): Map<string, Lead[]> {
  const board = new Map<string, Lead[]>(stageIds.map((id) => [id, []]));
  const moved: Lead[] = [];
  for (const lead of leads) {
    if (pending[lead.id] !== undefined && pending[lead.id] !== lead.stage_id) moved.push(lead);
    else if (lead.stage_id) board.get(lead.stage_id)?.push(lead);
  }
  for (const lead of moved) board.get(pending[lead.id] as string)?.push(lead);
  return board;
}

/** The move request for a lead dropped on a stage, or null when it stays where it is. */
export function moveRequest(lead: Lead, stageId: string): { stage_id: string; version: number } | null {
  return lead.stage_id === stageId ? null : { stage_id: stageId, version: lead.version };
}
