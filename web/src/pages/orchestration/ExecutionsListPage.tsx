// All executions of the agency (`/executions`): status filter and search kept in the URL, live.
import { Page } from "../../components/Page";
import { ExecutionsTable } from "./ExecutionsTable";

export default function ExecutionsListPage() {
  return (
    <Page title="Executions">
      <ExecutionsTable />
    </Page>
  );
}
