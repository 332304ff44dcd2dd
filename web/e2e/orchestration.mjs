// The orchestration screens in the browser test (run by ./run.mjs, signed in as the demo
// owner; `fortress worker` runs the executions): a flow created through the form, the
// server's 422 on an invalid definition shown first, its states and the errored one marked
// in the preview; Validate and "Save as new version" on the flow page; an execution started
// from the dialog with an input (a non-object refused first) followed to SUCCEEDED on its
// page, its states green and its history ending in ExecutionSucceeded; the executions list
// filtered by status, and an execution started elsewhere appearing in it without reload; an
// automation run started through the API followed to its end on the automation runs page.
import assert from "node:assert/strict";

import { inPage as callInPage } from "./helpers.mjs";

/** Routes an order by its size: a Pass, a Choice with a rule and a Default, two ends. */
const DEFINITION = {
  Comment: "Routes an order by its size.",
  StartAt: "Start",
  States: {
    Start: { Type: "Pass", Result: { ok: true }, ResultPath: "$.passed", Next: "Check" },
    Check: { Type: "Choice", Choices: [{ Variable: "$.n", NumericGreaterThan: 1, Next: "Big" }], Default: "Small" },
    Big: { Type: "Succeed" },
    Small: { Type: "Pass", End: true },
  },
};
/** The same with a typo in Start's Next: the server names /States/Start/Next. */
const INVALID = { ...DEFINITION, States: { ...DEFINITION.States, Start: { ...DEFINITION.States.Start, Next: "Chekc" } } };

const GREEN = "rgb(22, 163, 74)";
const GREY = "rgb(148, 163, 184)";
const json = (value) => JSON.stringify(value, null, 2);

export async function orchestrationSteps({ page, step, shot, atPath }) {
  const inPage = callInPage(page);
  const nav = (name) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });
  const graph = page.getByRole("group", { name: "State graph" });
  const tab = (name) => page.getByRole("tab", { name, exact: true });
  const markNotReloaded = () =>
    page.evaluate(() => {
      globalThis.notReloaded = true;
    });
  const assertNotReloaded = async () => assert.equal(await page.evaluate(() => globalThis.notReloaded), true);

  let flowId = "";
  await step("a flow is created through the form; the server's 422 on an invalid definition shows first", async () => {
    await nav("Flows").click();
    await atPath(page, "/flows");
    await page.getByText("New from template").click();
    await page.getByRole("list", { name: "Templates" }).getByRole("link", { name: /data-pipeline/ }).waitFor();
    await page.getByRole("link", { name: "New flow", exact: true }).click();
    await atPath(page, "/flows/create");
    await page.getByLabel("Name", { exact: true }).fill("order-triage");
    await page.getByLabel("Description").fill("Big orders one way, small ones the other.");
    const definition = page.getByLabel("Definition", { exact: true });
    await definition.fill(json(INVALID));
    // The preview draws what is typed.
    await graph.getByRole("img", { name: "Check (Choice)" }).waitFor();
    await page.getByRole("button", { name: "Create flow" }).click();

    const refused = page.getByRole("region", { name: "The server refused the definition" });
    await refused.waitFor();
    assert.match(await refused.innerText(), /Start\s+\/States\/Start\/Next: "Chekc" is not a state/);
    assert.equal(await definition.getAttribute("aria-invalid"), "true");
    await graph.getByRole("img", { name: "Start (Pass): has errors" }).waitFor();
    await shot(page, "flow-form-errors");

    await definition.fill(json(DEFINITION));
    await page.getByRole("button", { name: "Create flow" }).click();
    await page.getByRole("heading", { name: "order-triage", exact: true }).waitFor();
    flowId = new URL(page.url()).pathname.split("/").at(-1);
    const flow = (await inPage("GET", `/api/v1/orchestration/flows/${flowId}`)).body;
    assert.deepEqual([flow.current_version, flow.definition.StartAt], [1, "Start"]);

    // The graph: a node per state, the Choice's rule and its Default on their edges.
    for (const name of ["Start (Pass)", "Check (Choice)", "Big (Succeed)", "Small (Pass)"]) {
      await graph.getByRole("img", { name, exact: true }).waitFor();
    }
    assert.equal(await graph.locator(".react-flow__edge").count(), 3);
    const labels = await graph.locator(".react-flow__edge-text").allTextContents();
    assert.deepEqual(labels.sort(), ["$.n > 1", "Default"]);
    await shot(page, "flow-page");
  });

  await step("Validate lists a definition's errors on the flow page; Save as new version saves v2", async () => {
    const editor = page.getByLabel("Definition (JSON)");
    await editor.fill(json(INVALID));
    await page.getByRole("button", { name: "Validate" }).click();
    const errors = page.getByRole("region", { name: "The definition has errors" });
    await errors.getByText("/States/Start/Next").waitFor();
    await graph.getByRole("img", { name: "Start (Pass): has errors" }).waitFor();

    await editor.fill(json({ ...DEFINITION, Comment: "Routes an order by its size (v2)." }));
    await page.getByRole("button", { name: "Validate" }).click();
    await page.getByRole("status").filter({ hasText: "The definition is valid." }).waitFor();
    await page.getByRole("button", { name: "Save as new version" }).click();
    await page.getByTestId("flow-version").filter({ hasText: "v2" }).waitFor();
    await page.getByText("Saved as version 2.").waitFor();
    await tab("Versions").click();
    await page.getByRole("table", { name: "Versions of order-triage" }).getByRole("cell", { name: "v2 (current)" }).waitFor();
    await tab("Definition").click();
  });

  let executionId = "";
  await step("an execution started from the dialog with an input reaches SUCCEEDED: states green, history ends", async () => {
    await page.getByRole("button", { name: "Start execution" }).click();
    const dialog = page.getByRole("dialog", { name: "Start an execution of order-triage" });
    await dialog.getByLabel("Execution name").fill("first-run");
    const input = dialog.getByLabel("Input");
    await input.fill("[3]");
    await dialog.getByRole("button", { name: "Start", exact: true }).click();
    await dialog.getByRole("alert").filter({ hasText: "Must be a JSON object" }).waitFor();
    await input.fill('{"n": 3, "order": "A-1001"}');
    await dialog.getByRole("button", { name: "Start", exact: true }).click();
    await page.waitForURL((url) => url.pathname.startsWith("/executions/"));
    executionId = new URL(page.url()).pathname.split("/").at(-1);
    await page.getByRole("heading", { name: "first-run", exact: true }).waitFor();

    const facts = page.getByTestId("execution-facts");
    await facts.locator('[data-status="SUCCEEDED"]').waitFor({ timeout: 30_000 });
    assert.match(await facts.innerText(), /order-triage v2/);
    const state = (name) => graph.getByRole("button", { name: new RegExp(`^${name} \\(`) });
    for (const name of ["Start", "Check", "Big"]) {
      await graph.getByRole("button", { name: new RegExp(`^${name} \\(\\w+\\): Succeeded$`) }).waitFor();
      assert.equal(await state(name).getAttribute("data-status"), "succeeded");
      assert.equal(await state(name).evaluate((el) => globalThis.getComputedStyle(el).borderColor), GREEN);
    }
    assert.equal(await state("Small").getAttribute("data-status"), "not_entered");
    assert.equal(await state("Small").evaluate((el) => globalThis.getComputedStyle(el).borderColor), GREY);

    const history = page.getByRole("table", { name: "Event history" });
    await history.getByRole("cell", { name: "ExecutionSucceeded", exact: true }).waitFor();
    const types = await history.locator("tbody tr td:nth-child(2)").allInnerTexts();
    assert.equal(types[0], "ExecutionStarted");
    assert.equal(types.at(-1), "ExecutionSucceeded");
    await history.getByRole("button", { name: "Show the details of event 1" }).click();
    assert.match(await page.getByLabel("Details of event 1", { exact: true }).innerText(), /"order": "A-1001"/);
    assert.match(await page.getByLabel("Execution output").innerText(), /"passed": \{\s+"ok": true/);

    // A state opens its side panel with its input and output.
    await state("Check").click();
    const panel = page.getByRole("complementary", { name: "Check" });
    assert.match(await panel.getByTestId("state-panel-status").innerText(), /Succeeded/);
    assert.match(await panel.getByLabel("Input of Check").innerText(), /"n": 3/);
    await shot(page, "execution-succeeded");
    await panel.getByRole("button", { name: "Close the panel of Check" }).click();
  });

  await step("the executions list filters by status and shows an execution started elsewhere, live", async () => {
    await nav("Executions").click();
    await atPath(page, "/executions");
    const table = page.getByRole("table", { name: "Executions" });
    await table.getByRole("link", { name: "first-run", exact: true }).waitFor();
    // The flow's name arrives with its own request.
    await table.getByRole("link", { name: "order-triage v2", exact: true }).waitFor();
    assert.match(await table.innerText(), /first-run\s+order-triage v2\s+Succeeded/);
    const status = page.getByLabel("Status");
    await status.selectOption("FAILED");
    await table.getByText("No executions match.").waitFor();
    await status.selectOption("SUCCEEDED");
    await table.getByRole("link", { name: "first-run", exact: true }).waitFor();
    await status.selectOption("");
    await table.getByRole("link", { name: "first-run", exact: true }).waitFor();

    await markNotReloaded();
    const started = await inPage("POST", "/api/v1/orchestration/run-flow", { flow: "order-triage", name: "from-a-script", input: { n: 0 } });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    await table.getByRole("link", { name: "from-a-script", exact: true }).waitFor();
    await table.getByRole("row", { name: /from-a-script.*Succeeded/ }).waitFor({ timeout: 30_000 });
    await assertNotReloaded();
    await shot(page, "executions");

    // The same name and input answers the first execution (200), not a new one.
    const again = await inPage("POST", "/api/v1/orchestration/run-flow", { flow: "order-triage", name: "from-a-script", input: { n: 0 } });
    assert.deepEqual([again.status, again.body.id], [200, started.body.id]);
    assert.ok(executionId);
  });

  await step("an automation run started through the API appears live, succeeds, and opens its output", async () => {
    await nav("Automation runs").click();
    await atPath(page, "/automation-runs");
    const table = page.getByRole("table", { name: "Automation runs" });
    await table.getByText("No automation runs yet").waitFor();
    await markNotReloaded();
    // Offline the agency's own flow of that name runs the automation.
    const started = await inPage("POST", "/api/v1/automation-runs", { flow: "order-triage", correlation_id: "order-9", input: { n: 5 } });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    await table.getByRole("row", { name: /order-9.*order-triage.*succeeded/ }).waitFor({ timeout: 30_000 });
    await assertNotReloaded();
    await table.getByRole("button", { name: "order-9", exact: true }).click();
    const detail = page.getByRole("region", { name: "Automation run order-9" });
    assert.match(await detail.getByLabel("Output").innerText(), /"passed"/);
    await detail.getByRole("link", { name: /^execution / }).waitFor();
    await shot(page, "automation-runs");
  });

  await step("the flows list finds the flow by search, with its version", async () => {
    await nav("Flows").click();
    await atPath(page, "/flows");
    await page.getByRole("searchbox").fill("triage");
    const table = page.getByRole("table", { name: "Flows of this agency" });
    await table.getByRole("link", { name: "order-triage", exact: true }).waitFor();
    assert.match(await table.innerText(), /order-triage[\s\S]*v2/);
    await shot(page, "flows");
    await table.getByRole("link", { name: "order-triage", exact: true }).click();
    await atPath(page, `/flows/${flowId}`);
    await tab("Executions").click();
    await page.getByRole("table", { name: "Executions" }).getByRole("link", { name: "first-run", exact: true }).waitFor();
  });
}
