// The application shell: Refine with the providers over the generated client, and the routes.
// Signed-out screens redirect home once signed in; everything else needs a session.
import { Authenticated, Refine } from "@refinedev/core";
import routerProvider, { CatchAllNavigate, NavigateToResource } from "@refinedev/react-router";
import { lazy, Suspense } from "react";
import { BrowserRouter, Outlet, Route, Routes } from "react-router";

import { api, session } from "./api/instance";
import { isTransient } from "./api/problem";
import { Layout } from "./components/Layout";
import { notificationProvider, Toasts } from "./components/Notifications";
import { ApiKeysPage } from "./pages/api-keys/ApiKeysPage";
import { AcceptInvitePage } from "./pages/auth/AcceptInvitePage";
import { ForgotPasswordPage } from "./pages/auth/ForgotPasswordPage";
import { LoginPage } from "./pages/auth/LoginPage";
import { RegisterPage } from "./pages/auth/RegisterPage";
import { ResetPasswordPage } from "./pages/auth/ResetPasswordPage";
import { LeadCreatePage, LeadEditPage } from "./pages/leads/LeadFormPage";
import { LeadShowPage } from "./pages/leads/LeadShowPage";
import { LeadsListPage } from "./pages/leads/LeadsListPage";
import { MembersPage } from "./pages/members/MembersPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { ProjectCreatePage, ProjectEditPage } from "./pages/projects/ProjectFormPage";
import { ProjectsListPage } from "./pages/projects/ProjectsListPage";
import { createAuthProvider } from "./providers/auth";
import { createDataProvider } from "./providers/data";
import { createLiveProvider } from "./providers/live";
import { enrollmentsResource, resources } from "./resources";

const dataProvider = createDataProvider(api);
const authProvider = createAuthProvider(api, session);
// The heavy screens load on demand, keeping the initial JavaScript small.
const KanbanPage = lazy(() => import("./pages/pipeline/KanbanPage"));
const ImportWizardPage = lazy(() => import("./pages/imports/ImportWizardPage"));
const WebhooksPage = lazy(() => import("./pages/webhooks/WebhooksPage"));
// The project page draws with React Flow and dagre: the biggest of them.
const ProjectPage = lazy(() => import("./pages/projects/ProjectPage"));
// Orchestration: the flow and execution pages draw their state graph with React Flow too.
const FlowsListPage = lazy(() => import("./pages/orchestration/FlowsListPage"));
const FlowCreatePage = lazy(() => import("./pages/orchestration/FlowCreatePage"));
const FlowPage = lazy(() => import("./pages/orchestration/FlowPage"));
const ExecutionsListPage = lazy(() => import("./pages/orchestration/ExecutionsListPage"));
const ExecutionPage = lazy(() => import("./pages/orchestration/ExecutionPage"));
const AutomationRunsPage = lazy(() => import("./pages/orchestration/AutomationRunsPage"));
const DiscoveriesPage = lazy(() => import("./pages/discovery/DiscoveriesPage"));
const DiscoveryPage = lazy(() => import("./pages/discovery/DiscoveryPage"));
// Outreach: mailboxes, the campaign builder and page, the inbox, the send log, the suppression
// list, deliverability.
const MailboxesPage = lazy(() => import("./pages/outreach/MailboxesPage"));
const MailboxFormPage = lazy(() => import("./pages/outreach/MailboxFormPage"));
const CampaignsPage = lazy(() => import("./pages/outreach/CampaignsPage"));
const CampaignFormPage = lazy(() => import("./pages/outreach/CampaignFormPage"));
const CampaignPage = lazy(() => import("./pages/outreach/CampaignPage"));
const RepliesPage = lazy(() => import("./pages/outreach/RepliesPage"));
const MessagesPage = lazy(() => import("./pages/outreach/MessagesPage"));
const SuppressionsPage = lazy(() => import("./pages/outreach/SuppressionsPage"));
const DeliverabilityPage = lazy(() => import("./pages/outreach/DeliverabilityPage"));

/** Every resource Refine reads: the screens', and those read only inside other screens. */
const allResources = [...resources, enrollmentsResource];

const liveProvider = createLiveProvider({
  // A refused stream may reopen once /auth/me answers (the client renews an expired session
  // on the way); a 401 means the session is over, any other failure tells nothing yet.
  canReconnect: async () => {
    const { response } = await api.GET("/api/v1/auth/me");
    if (response.status === 401) return false;
    if (!response.ok) throw new Error(`/auth/me answered ${response.status}`);
    return true;
  },
  prefixes: {
    ...Object.fromEntries(allResources.map((r) => [r.name, r.meta.liveEvent])),
    // Channels followed without a screen of their own.
    "lead-timeline": "lead_timeline",
  },
  updates: Object.fromEntries(allResources.map((r) => [r.name, ("liveUpdates" in r.meta && r.meta.liveUpdates) || []])),
});

// A 4xx will not change on a retry (and a 401 or 403 should show at once); a dropped
// connection or a 5xx may: at most two more tries.
const MAX_RETRIES = 2;
const retry = (failures: number, error: unknown) => failures < MAX_RETRIES && isTransient(error);

export function App() {
  return (
    <BrowserRouter>
      <Refine
        dataProvider={dataProvider}
        authProvider={authProvider}
        liveProvider={liveProvider}
        notificationProvider={notificationProvider}
        routerProvider={routerProvider}
        resources={allResources}
        options={{
          liveMode: "auto",
          syncWithLocation: true,
          disableTelemetry: true,
          reactQuery: { clientConfig: { defaultOptions: { queries: { retry } } } },
        }}
      >
        <Routes>
          <Route
            element={
              <Authenticated key="app" fallback={<CatchAllNavigate to="/login" />}>
                <Layout>
                  <Suspense fallback={<p className="text-slate-500">Loading…</p>}>
                    <Outlet />
                  </Suspense>
                </Layout>
              </Authenticated>
            }
          >
            <Route index element={<NavigateToResource resource="members" />} />
            <Route path="/members" element={<MembersPage />} />
            <Route path="/api-keys" element={<ApiKeysPage />} />
            <Route path="/leads" element={<LeadsListPage />} />
            <Route path="/leads/create" element={<LeadCreatePage />} />
            <Route path="/imports" element={<ImportWizardPage />} />
            <Route path="/leads/:id" element={<LeadShowPage />} />
            <Route path="/leads/:id/edit" element={<LeadEditPage />} />
            <Route path="/pipeline" element={<KanbanPage />} />
            <Route path="/webhooks" element={<WebhooksPage />} />
            <Route path="/projects" element={<ProjectsListPage />} />
            <Route path="/projects/create" element={<ProjectCreatePage />} />
            <Route path="/projects/:id" element={<ProjectPage />} />
            <Route path="/projects/:id/edit" element={<ProjectEditPage />} />
            <Route path="/flows" element={<FlowsListPage />} />
            <Route path="/flows/create" element={<FlowCreatePage />} />
            <Route path="/flows/:id" element={<FlowPage />} />
            <Route path="/executions" element={<ExecutionsListPage />} />
            <Route path="/executions/:id" element={<ExecutionPage />} />
            <Route path="/automation-runs" element={<AutomationRunsPage />} />
            <Route path="/discoveries" element={<DiscoveriesPage />} />
            <Route path="/discoveries/:id" element={<DiscoveryPage />} />
            <Route path="/outreach/mailboxes" element={<MailboxesPage />} />
            <Route path="/outreach/mailboxes/create" element={<MailboxFormPage action="create" />} />
            <Route path="/outreach/mailboxes/:id/edit" element={<MailboxFormPage action="edit" />} />
            <Route path="/outreach/campaigns" element={<CampaignsPage />} />
            <Route path="/outreach/campaigns/create" element={<CampaignFormPage action="create" />} />
            <Route path="/outreach/campaigns/:id" element={<CampaignPage />} />
            <Route path="/outreach/campaigns/:id/edit" element={<CampaignFormPage action="edit" />} />
            <Route path="/outreach/replies" element={<RepliesPage />} />
            <Route path="/outreach/messages" element={<MessagesPage />} />
            <Route path="/outreach/suppressions" element={<SuppressionsPage />} />
            <Route path="/outreach/settings" element={<DeliverabilityPage />} />
          </Route>
          <Route
            element={
              <Authenticated key="signed-out" fallback={<Outlet />}>
                <NavigateToResource resource="members" />
              </Authenticated>
            }
          >
            <Route path="/login" element={<LoginPage />} />
            <Route path="/register" element={<RegisterPage />} />
            <Route path="/forgot-password" element={<ForgotPasswordPage />} />
          </Route>
          <Route path="/reset-password" element={<ResetPasswordPage />} />
          <Route path="/accept-invite" element={<AcceptInvitePage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
        <Toasts />
      </Refine>
    </BrowserRouter>
  );
}
