// A campaign's, mailbox's, enrollment's or message's status as a coloured pill.
import { StatusPill } from "../../components/StatusPill";
import { outreachColour } from "../../lib/outreach";

export function OutreachStatus({ status }: { status: string }) {
  return <StatusPill status={status} colour={outreachColour(status)} />;
}
