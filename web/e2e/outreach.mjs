// The outreach screens in the browser test (run by ./run.mjs, signed in as the demo owner): a
// mailbox added through its form, pointing at the run's mail sink (`fortress mail-sink`, the
// server's SMTP_URL), its connection tested; a lead made through the API; a one-step campaign
// built in the campaign builder, activated on its page; the step previewed for the lead (its
// name in the rendered body) and the lead enrolled.
import assert from "node:assert/strict";

import { inPage as callInPage } from "./helpers.mjs";

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
}
