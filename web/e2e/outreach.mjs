// The outreach screens in the browser test (run by ./run.mjs, signed in as the demo owner): a
// mailbox added through its form, pointing at the run's mail sink (`fortress mail-sink`, the
// server's SMTP_URL), its connection tested; a lead made through the API; a one-step campaign
// built in the campaign builder, activated on its page; the step previewed for the lead (its
// name in the rendered body) and the lead enrolled; then, from the leads list, the leads a
// search finds enrolled in a second campaign by that search. Then deliverability: the
// auto-pause threshold typed as a percentage and kept, Postmark's notification URL set up; the
// mailbox's DKIM key made and its DNS record shown; its IMAP inbox set (a refused host first)
// and checked against a closed port, the failure said in place; the inbox of replies, empty.
import assert from "node:assert/strict";

import { freePort } from "./fortress.mjs";
import { inPage as callInPage, until } from "./helpers.mjs";

const LEAD = { first_name: "Octavia", last_name: "Reach", email: "octavia@prospect.test", company: "Prospect SRL" };

export async function outreachSteps({ page, step, shot, atPath, fortress }) {
  const nav = (name) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });
  const inPage = callInPage(page);

  await step("a mailbox on the mail sink is added through its form and its connection tested", async () => {
    await nav("Mailboxes").click();
    await atPath(page, "/outreach/mailboxes");
    await page.getByRole("link", { name: "New mailbox" }).click();
    await atPath(page, "/outreach/mailboxes/create");
    const form = page.getByRole("form", { name: "Mailbox" });
    await form.getByLabel("Name", { exact: true }).fill("E2E sink");
    await form.getByLabel("From address").fill("outreach@demo-agency.test");
    await form.getByLabel("From name").fill("Demo Outreach");
    await form.getByLabel("SMTP host").fill("127.0.0.1");
    await form.getByLabel("SMTP port").fill(String(fortress.smtpPort));
    await form.getByLabel("Security").selectOption("none");
    await form.getByRole("button", { name: "Add mailbox" }).click();
    await atPath(page, "/outreach/mailboxes");
    await page.getByRole("link", { name: "E2E sink", exact: true }).waitFor();

    await page.getByRole("button", { name: "Test the connection of E2E sink" }).click();
    await page.getByRole("status").filter({ hasText: "E2E sink: connection OK" }).waitFor();
    await page.getByRole("cell").filter({ hasText: /^ok / }).waitFor();
    await shot(page, "outreach-mailboxes");
  });

  await step("a one-step campaign is built, activated, previewed for a lead, and the lead enrolled", async () => {
    const lead = await inPage("POST", "/api/v1/leads", LEAD);
    assert.equal(lead.status, 201, JSON.stringify(lead.body));

    await nav("Campaigns").click();
    await atPath(page, "/outreach/campaigns");
    await page.getByRole("link", { name: "New campaign" }).click();
    await atPath(page, "/outreach/campaigns/create");
    const form = page.getByRole("form", { name: "Campaign" });
    await form.getByLabel("Name", { exact: true }).fill("E2E winter offer");
    // Every day, all day: the window never holds the message back.
    for (const day of ["Sat", "Sun"]) await form.getByRole("group", { name: "Days" }).getByLabel(day).check();
    await form.getByLabel("From", { exact: true }).fill("00:00");
    await form.getByLabel("Until").fill("23:59");
    await form.getByRole("group", { name: "Send from" }).getByLabel(/E2E sink/).check();
    const variant = form.getByRole("group", { name: "Step 1 variant A" });
    await variant.getByLabel("Subject").fill('{Hi|Hello} {{first_name | "there"}}');
    await variant.getByLabel("Body").fill('Dear {{first_name | "there"}},\n\nA winter offer for {{company | "your team"}}.');
    await form.getByRole("button", { name: "Create campaign" }).click();
    await page.waitForURL(/\/outreach\/campaigns\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { name: "E2E winter offer" }).waitFor();
    await page.locator('[data-status="draft"]').first().waitFor();

    await page.getByRole("button", { name: "Activate" }).click();
    await page.locator('[data-status="active"]').first().waitFor();
    await page.getByRole("button", { name: "Pause" }).waitFor();

    const preview = page.getByRole("region", { name: "Preview", exact: true });
    await preview.getByLabel("Find a lead").fill("Octavia");
    await preview.getByRole("button", { name: "Preview for Octavia Reach" }).click();
    const body = preview.getByTestId("preview-body");
    await body.waitFor();
    assert.match(await body.innerText(), /Dear Octavia,/);
    assert.match(await body.innerText(), /Prospect SRL/);
    assert.match(await preview.getByTestId("preview-subject").innerText(), /^(Hi|Hello) Octavia$/);
    assert.match(await preview.getByRole("article", { name: "Rendered message" }).innerText(), /octavia@prospect\.test/);
    await shot(page, "outreach-campaign");

    const enroll = page.getByRole("region", { name: "Enroll leads" });
    await enroll.getByLabel("Or find leads").fill("Octavia");
    await enroll.getByRole("button", { name: "Enroll all 1 shown" }).click();
    await enroll.getByRole("status", { name: "Enrollment result" }).filter({ hasText: "Enrolled 1 lead." }).waitFor();
    await page.getByRole("table", { name: "Enrollments of this campaign" }).getByRole("link", { name: LEAD.email }).waitFor();
    await page.getByTestId("stat-enrolled").filter({ hasText: /^1$/ }).waitFor();
  });

  await step("the leads a search finds on the leads list are enrolled in a campaign by that search", async () => {
    // A campaign the lead is not in yet (she is in the one above): a draft made through the API.
    const created = await inPage("POST", "/api/v1/outreach/campaigns", { name: "E2E search follow-up" });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const campaign = created.body;

    await nav("Leads").click();
    await atPath(page, "/leads");
    const table = page.getByRole("table", { name: "Leads of this agency" });
    await page.getByLabel("Search").fill("Octavia");
    await page.waitForURL((url) => url.search.includes("Octavia"));
    await table.getByRole("link", { name: "Octavia Reach", exact: true }).waitFor();
    assert.equal(await table.locator("tbody tr").count(), 1);

    await page.getByRole("button", { name: "Enroll in a campaign", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Enroll in a campaign" });
    await dialog.getByText(/^1 lead matches the list's filters and search\./).waitFor();
    // selectOption waits for the campaigns to load into the select.
    await dialog.getByLabel("Campaign", { exact: true }).selectOption({ label: `${campaign.name} (draft)` });
    await dialog.getByRole("button", { name: "Enroll 1 lead", exact: true }).click();
    await dialog.getByRole("status", { name: "Enrollment result" }).filter({ hasText: /^1 enrolled\./ }).waitFor();
    await shot(page, "leads-enroll-in-campaign");

    await dialog.getByRole("link", { name: `Open the campaign ${campaign.name}` }).click();
    await atPath(page, `/outreach/campaigns/${campaign.id}`);
    await page.getByRole("table", { name: "Enrollments of this campaign" }).getByRole("link", { name: LEAD.email }).waitFor();
    await page.getByTestId("stat-enrolled").filter({ hasText: /^1$/ }).waitFor();
  });

  await step("the auto-pause threshold is typed as a percentage and kept; Postmark's notification URL is set up", async () => {
    await nav("Deliverability").click();
    await atPath(page, "/outreach/settings");
    const thresholds = page.getByRole("form", { name: "Auto-pause thresholds" });
    const bounce = thresholds.getByLabel("Bounce rate (%)");
    await until("the thresholds to load", async () => (await bounce.inputValue()) === "2");
    assert.equal(await thresholds.getByLabel("Complaint rate (%)").inputValue(), "0.1");
    await bounce.fill("5");
    await thresholds.getByRole("button", { name: "Save thresholds" }).click();
    await page.getByRole("status").filter({ hasText: "Thresholds saved." }).waitFor();
    const saved = await inPage("GET", "/api/v1/outreach/settings");
    assert.deepEqual(saved.body, { bounce_pause_rate: 0.05, complaint_pause_rate: 0.001, pause_min_sent: 50 });
    await page.reload();
    await until("the saved threshold after a reload", async () => (await bounce.inputValue()) === "5");

    const postmark = page.getByRole("region", { name: "Postmark", exact: true });
    await postmark.getByRole("button", { name: "Set up Postmark" }).click();
    const url = postmark.getByTestId("feedback-url-postmark");
    await url.waitFor();
    const text = await url.innerText();
    assert.ok(text.startsWith(`${fortress.url}/api/v1/outreach/feedback/postmark/`), text);
    await postmark.getByRole("button", { name: "Remove Postmark" }).waitFor();
    await shot(page, "outreach-deliverability");
  });

  await step("the mailbox's DKIM key is made on its page and its DNS record shown", async () => {
    await nav("Mailboxes").click();
    await atPath(page, "/outreach/mailboxes");
    await page.getByRole("link", { name: "E2E sink", exact: true }).click();
    await page.waitForURL(/\/outreach\/mailboxes\/[0-9a-f-]{36}\/edit$/);
    const dkim = page.getByRole("region", { name: "DKIM signing" });
    await dkim.getByRole("button", { name: "Generate key" }).click();
    // A 2048-bit RSA key takes the server a second or so, more on a busy machine.
    await dkim.getByTestId("dkim-name").filter({ hasText: /^df1\._domainkey\.demo-agency\.test$/ }).waitFor({ timeout: 30_000 });
    assert.match(await dkim.getByTestId("dkim-value").innerText(), /^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]+=*$/);
    await dkim.getByRole("button", { name: "Replace key" }).waitFor();
    await dkim.getByRole("button", { name: "Stop signing with this key" }).waitFor();
    await shot(page, "outreach-mailbox-dkim");
  });

  await step("the mailbox's IMAP inbox is set (a refused host first) and a failed check is said in place", async () => {
    const panel = page.getByRole("region", { name: "Replies inbox (IMAP)" });
    const form = panel.getByRole("form", { name: "Replies inbox" });
    const host = form.getByLabel("IMAP host");
    await host.fill("not a host!");
    await form.getByRole("button", { name: "Save inbox" }).click();
    await form.locator('input[aria-invalid="true"]').first().waitFor();
    assert.equal(await host.getAttribute("aria-invalid"), "true");

    await host.fill("127.0.0.1");
    await form.getByLabel("IMAP port").fill(String(await freePort()));
    await form.getByLabel("IMAP security").selectOption("none");
    await form.getByRole("button", { name: "Save inbox" }).click();
    await panel.getByRole("status").filter({ hasText: "Inbox saved" }).waitFor();

    await panel.getByRole("button", { name: "Check now" }).click();
    await panel.getByRole("status").filter({ hasText: "The check failed: connect" }).waitFor({ timeout: 20_000 });
    await panel.getByTestId("inbox-last-error").waitFor();
    await shot(page, "outreach-mailbox-inbox");

    await panel.getByRole("button", { name: "Remove the inbox" }).click();
    await panel.getByRole("button", { name: "Confirm: remove the inbox" }).click();
    await panel.getByRole("button", { name: "Check now" }).waitFor({ state: "detached" });
  });

  await step("the inbox of replies says how they arrive, and filters by kind in the URL", async () => {
    await nav("Inbox").click();
    await atPath(page, "/outreach/replies");
    const table = page.getByRole("table", { name: "Replies, bounces and complaints" });
    await table
      .getByText(/once a mailbox has an inbox set/)
      .or(table.locator("[data-status]"))
      .first()
      .waitFor();
    await shot(page, "outreach-inbox");
    await page.getByLabel("Kind").selectOption({ label: "Bounces" });
    await page.waitForURL((url) => url.search.includes("bounce"));
    await table.getByText("Nothing matches.").or(table.locator('[data-status="bounce"]')).first().waitFor();
  });
}
