// End-to-end test: Debian's chromium, driven by playwright-core, against the real `fortress`
// binary serving web/dist with a fresh database (./fortress.mjs). Each step is what a user
// does and sees; screenshots of the main screens go to web/test-artifacts/.
//
//   npm run build && npm run e2e     (FORTRESS_BIN, default $CARGO_TARGET_DIR/debug/fortress)
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

import { startFortress } from "./fortress.mjs";
import { leadSteps } from "./leads.mjs";
import { discoverySteps } from "./discovery.mjs";
import { orchestrationSteps } from "./orchestration.mjs";
import { outreachSteps } from "./outreach.mjs";
import { projectSteps } from "./projects.mjs";

const DEMO = { email: "demo@datafortress.local", password: "fortress-demo-2026" };
const ADA = { email: "ada@acme.test", password: "correct horse battery staple 2026" };
const CHROMIUM = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";
const targetDir = process.env.CARGO_TARGET_DIR ?? `${homedir()}/.cache/datafortress/target`;
const bin = process.env.FORTRESS_BIN ?? `${targetDir}/debug/fortress`;
const webDist = fileURLToPath(new URL("../dist/", import.meta.url));
const artifacts = fileURLToPath(new URL("../test-artifacts/", import.meta.url));

for (const [what, path] of [
  ["the fortress binary (cargo build -p app)", bin],
  ["the built UI (npm run build)", `${webDist}index.html`],
  ["chromium (apt-get install chromium)", CHROMIUM],
]) {
  if (!existsSync(path)) throw new Error(`missing ${what}: ${path}`);
}
await rm(artifacts, { recursive: true, force: true });
await mkdir(artifacts, { recursive: true });

const fortress = await startFortress({ bin, webDist });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

const shot = (page, name) => page.screenshot({ path: `${artifacts}${name}.png`, fullPage: true });

/** Waits until the page is at `path`, whatever its query string. */
const atPath = (page, path) => page.waitForURL((url) => url.pathname === path);

/** GET /api/v1/auth/me with an API key, as a script would. */
const meWithKey = (key) =>
  fetch(`${fortress.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${key}` } });

/** Figures measured on the way (the 50-row list), written to test-artifacts/results.json. */
const results = {};
let passed = 0;
let failed = 0;
let current = null;

/** Runs one step; the first failure stops the run (later steps build on earlier ones). */
async function step(name, body) {
  const started = performance.now();
  try {
    await body();
    passed++;
    console.log(`ok   ${name} (${Math.round(performance.now() - started)} ms)`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${name}\n${error.stack ?? error}`);
    if (current) await shot(current, "failure").catch(() => {});
    throw error;
  }
}

try {
  const context = await browser.newContext({ baseURL: fortress.url });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: fortress.url });
  const page = (current = await context.newPage());
  page.setDefaultTimeout(10_000);

  await step("a signed-out visitor is sent to the sign-in page", async () => {
    await page.goto("/members");
    await atPath(page, "/login");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await shot(page, "login");
  });

  await step("the demo owner signs in and sees who they are", async () => {
    await page.getByLabel("Email").fill(DEMO.email);
    await page.getByLabel("Password").fill(DEMO.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await atPath(page, "/members");
    await page.getByRole("cell", { name: DEMO.email, exact: true }).waitFor();
    assert.match(await page.getByTestId("identity").innerText(), /Demo Owner\s+\(owner, Demo Agency\)/);
  });

  let inviteLink = "";
  await step("an invitation is sent, mailed and listed as pending", async () => {
    const invite = page.getByRole("region", { name: "Invite a member" });
    await invite.getByLabel("Email").fill("grace@acme.test");
    await invite.getByLabel("Role").selectOption("viewer");
    await invite.getByRole("button", { name: "Send invitation" }).click();
    const pending = page.getByRole("region", { name: "Pending invitations" });
    await pending.getByText("grace@acme.test").waitFor();
    assert.match(await pending.innerText(), /grace@acme\.test\s+as viewer/);
    [inviteLink] = await fortress.mailTo("grace@acme.test", /\/accept-invite\?token=[\w-]+/);
    await shot(page, "members");
  });

  await step("the invited viewer joins through the emailed link; a 403 does not sign her out", async () => {
    const grace = (current = await (await browser.newContext({ baseURL: fortress.url })).newPage());
    await grace.goto(inviteLink);
    await grace.getByLabel("Your name").fill("Grace Hopper");
    await grace.getByLabel("Password").fill("grace's own long passphrase");
    await grace.getByRole("button", { name: "Join" }).click();
    await atPath(grace, "/members");
    assert.match(await grace.getByTestId("identity").innerText(), /Grace Hopper\s+\(viewer, Demo Agency\)/);
    await grace.getByRole("cell", { name: "grace@acme.test", exact: true }).waitFor();
    assert.equal(await grace.getByRole("region", { name: "Invite a member" }).count(), 0);
    assert.equal(await grace.getByRole("link", { name: "API keys" }).count(), 0);

    await grace.goto("/api-keys");
    await grace.getByRole("table").getByRole("alert").waitFor();
    assert.equal(new URL(grace.url()).pathname, "/api-keys");
    assert.equal(await grace.evaluate(() => fetch("/api/v1/auth/me").then((r) => r.status)), 200);
    await grace.context().close();
    current = page;
  });

  let secret = "";
  await step("an API key is created and its secret is shown once, with a copy button", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
    await atPath(page, "/api-keys");
    const form = page.getByRole("region", { name: "Create an API key" });
    await form.getByLabel("Name").fill("e2e sync");
    await form.getByLabel("leads:read").check();
    await form.getByRole("button", { name: "Create key" }).click();
    secret = await page.getByTestId("api-key-secret").innerText();
    assert.match(secret, /^dfk_[\w-]{43}$/);
    await shot(page, "api-key-created");

    await page.getByRole("button", { name: "Copy" }).click();
    await page.getByRole("button", { name: "Copied" }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);

    const me = await meWithKey(secret);
    assert.equal(me.status, 200);
    assert.deepEqual((await me.json()).permissions, ["leads:read"]);

    await page.getByRole("button", { name: "Done" }).click();
    await page.getByRole("cell", { name: `${secret.slice(0, 12)}…` }).waitFor();
    await page.reload();
    await page.getByRole("cell", { name: "e2e sync", exact: true }).waitFor();
    assert.equal(await page.getByTestId("api-key-secret").count(), 0);
    assert.ok(!(await page.content()).includes(secret), "the secret is on the page again");
  });

  await step("a revoked API key is refused", async () => {
    await page.getByRole("button", { name: "Revoke the key e2e sync" }).click();
    await page.getByRole("button", { name: "Confirm: revoke the key e2e sync" }).click();
    await page.getByRole("cell", { name: "revoked", exact: true }).waitFor();
    assert.equal((await meWithKey(secret)).status, 401);
  });

  await step("a key created in another session appears in the open list through a live event", async () => {
    await page.evaluate(() => {
      globalThis.notReloaded = true;
    });
    const other = await (await browser.newContext({ baseURL: fortress.url })).newPage();
    await other.goto("/login");
    await other.getByLabel("Email").fill(DEMO.email);
    await other.getByLabel("Password").fill(DEMO.password);
    await other.getByRole("button", { name: "Sign in" }).click();
    await atPath(other, "/members");
    const created = await other.evaluate(() =>
      fetch("/api/v1/api-keys", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "made elsewhere", scopes: ["leads:read"] }),
      }).then((r) => r.json()),
    );
    await other.context().close();
    assert.equal(await page.getByRole("cell", { name: "made elsewhere", exact: true }).count(), 0);

    await fortress.publishEvent("demo", "resources/api-keys", "api_key.created", { ids: [created.id] });
    await page.getByRole("cell", { name: "made elsewhere", exact: true }).waitFor();
    assert.equal(await page.evaluate(() => globalThis.notReloaded), true);
  });

  await leadSteps({ page, step, shot, atPath, fortress, results });
  await projectSteps({ page, step, shot, atPath });
  await orchestrationSteps({ page, step, shot, atPath });
  await discoverySteps({ page, step, shot, atPath });
  await outreachSteps({ page, step, shot, atPath, fortress });

  await step("signing out ends the session: the API refuses it and pages send to sign-in", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await atPath(page, "/login");
    assert.equal(await page.evaluate(() => fetch("/api/v1/auth/me").then((r) => r.status)), 401);
    assert.equal(await page.evaluate(() => fetch("/api/v1/leads").then((r) => r.status)), 401);
    await page.goto("/api-keys");
    await atPath(page, "/login");
    await page.goto("/leads");
    await atPath(page, "/login");
    await shot(page, "signed-out");
  });

  await step("a new agency registers; the server's field errors show next to their fields", async () => {
    await page.goto("/register");
    await page.getByLabel("Agency name").fill("Acme Agency");
    await page.getByLabel("Agency address").fill("acme");
    await page.getByLabel("Your name").fill("Ada Lovelace");
    await page.getByLabel("Email").fill(ADA.email);
    const password = page.getByLabel("Password", { exact: true });
    await password.fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.locator('input[aria-invalid="true"]').first().waitFor();
    assert.equal(await password.getAttribute("aria-invalid"), "true");
    const errorId = (await password.getAttribute("aria-describedby")).split(" ").at(-1);
    assert.notEqual((await page.locator(`[id="${errorId}"]`).innerText()).trim(), "");
    await shot(page, "register-errors");

    await password.fill(ADA.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await atPath(page, "/members");
    await page.getByRole("cell", { name: ADA.email, exact: true }).waitFor();
    assert.match(await page.getByTestId("identity").innerText(), /Ada Lovelace\s+\(owner, Acme Agency\)/);
  });

  await step("a forgotten password is reset through the emailed link", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await atPath(page, "/login");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    // The sign-in page (which has an Email field too) may stay on screen while this one loads.
    await atPath(page, "/forgot-password");
    await page.getByRole("button", { name: "Send the link" }).waitFor();
    await page.getByLabel("Email").fill(ADA.email);
    await page.getByRole("button", { name: "Send the link" }).click();
    await page.getByRole("status").filter({ hasText: "reset" }).waitFor();
    const [link] = await fortress.mailTo(ADA.email, /\/reset-password\?token=[\w-]+/);

    const newPassword = "an even longer passphrase 2026";
    await page.goto(link);
    await page.getByLabel("New password", { exact: true }).fill(newPassword);
    await page.getByRole("button", { name: "Set the password" }).click();
    await atPath(page, "/login");
    await page.getByLabel("Email").fill(ADA.email);
    await page.getByLabel("Password").fill(newPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await atPath(page, "/members");
  });
} catch {
  console.log(`--- fortress output ---\n${fortress.logs.join("").slice(-5000)}`);
} finally {
  await browser.close();
  await fortress.stop();
}

await writeFile(`${artifacts}results.json`, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\ne2e: ${passed} passed, ${failed} failed (screenshots in web/test-artifacts/)`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
