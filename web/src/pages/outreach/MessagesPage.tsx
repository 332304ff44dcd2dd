// The send log (`/outreach/messages`): every outreach message, filtered by state and campaign.
import { Page } from "../../components/Page";
import { MessagesTable } from "./MessagesTable";

export default function MessagesPage() {
  return (
    <Page title="Send log" wide>
      <MessagesTable />
    </Page>
  );
}
