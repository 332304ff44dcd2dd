// The project screens in the browser test (run by ./run.mjs, signed in as the demo owner): a
// project created through the form (the server's field error first); its tree, seeded through
// the API, drawn as a graph; a node turning red live and its side panel; a CSV uploaded to
// bronze (a wrong type refused), listed, previewed and deleted; a script's versions read
// through signed links; usage moving the cost widget and its budget bar live; reports.
// Writes go through the signed-in page's fetch (./helpers.mjs), as an integration's would go
// with a key; none of them reloads the page, which must follow on its own.
import assert from "node:assert/strict";

import { inPage as callInPage, until } from "./helpers.mjs";

/** A fashion shop: three sources, their cleaned tables, two models, and the CRM fed back. */
const TREE = {
  nodes: [
    { id: "orders_raw", layer: "bronze", kind: "source", name: "Shopify orders" },
    { id: "customers_raw", layer: "bronze", kind: "source", name: "Shopify customers" },
    { id: "products_raw", layer: "bronze", kind: "source", name: "Product catalogue" },
    { id: "orders", layer: "silver", kind: "table", name: "Orders" },
    { id: "customers", layer: "silver", kind: "table", name: "Customers" },
    { id: "products", layer: "silver", kind: "table", name: "Products" },
    { id: "sales_by_day", layer: "gold", kind: "model", name: "Sales by day" },
    { id: "churn", layer: "gold", kind: "model", name: "Churn risk" },
    { id: "crm", layer: "destination", kind: "destination", name: "HubSpot CRM" },
  ],
  edges: [
    { from: "orders_raw", to: "orders" },
    { from: "customers_raw", to: "customers" },
    { from: "products_raw", to: "products" },
    { from: "orders", to: "sales_by_day" },
    { from: "products", to: "sales_by_day" },
    { from: "orders", to: "churn" },
    { from: "customers", to: "churn" },
    { from: "churn", to: "crm" },
  ],
};

const RED = "rgb(220, 38, 38)";
const BLUE = "rgb(37, 99, 235)";

export async function projectSteps({ page, step, shot, atPath }) {
  const inPage = callInPage(page);
  const nav = (name) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });
  const graph = page.getByRole("group", { name: "Lineage graph" });
  const node = (name) => graph.getByRole("button", { name: new RegExp(`^${name} \\(`) });
  const tab = (name) => page.getByRole("tab", { name, exact: true });
  const ok = async (what, answer) => {
    assert.ok(answer.status >= 200 && answer.status < 300, `${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const markNotReloaded = () =>
    page.evaluate(() => {
      globalThis.notReloaded = true;
    });
  const assertNotReloaded = async () => assert.equal(await page.evaluate(() => globalThis.notReloaded), true);

  let projectId = "";
  await step("a project is created through the form; the server's field error shows first", async () => {
    await nav("Projects").click();
    await atPath(page, "/projects");
    await page.getByRole("link", { name: "New project", exact: true }).click();
    await atPath(page, "/projects/create");
    await page.getByLabel("Name", { exact: true }).fill("Fashion shop");
    assert.equal(await page.getByLabel("Slug").inputValue(), "fashion-shop");
    await page.getByLabel("Client").fill("Moda SRL");
    await page.getByLabel("Description").fill("Orders, customers and churn for the CRM.");
    const zone = page.getByLabel("Time zone");
    await zone.fill("Mars/Olympus_Mons");
    // A budget of ten cents: a few thousand CPU seconds reach its alerts.
    await page.getByLabel("Monthly budget").fill("0.10");
    await page.getByLabel("Currency").fill("usd");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.locator('input[aria-invalid="true"]').first().waitFor();
    assert.equal(await zone.getAttribute("aria-invalid"), "true");
    const errorId = (await zone.getAttribute("aria-describedby")).split(" ").at(-1);
    assert.match(await page.locator(`[id="${errorId}"]`).innerText(), /IANA/);
    await shot(page, "project-form-errors");

    await zone.fill("Europe/Bucharest");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.getByRole("heading", { name: "Fashion shop", exact: true }).waitFor();
    projectId = new URL(page.url()).pathname.split("/").at(-1);
    const project = await ok("the project", await inPage("GET", `/api/v1/projects/${projectId}`));
    assert.deepEqual(
      [project.slug, project.client_name, project.timezone, project.budget_amount, project.budget_currency],
      ["fashion-shop", "Moda SRL", "Europe/Bucharest", "0.10", "USD"],
    );
    await page.getByText("This project has no tree yet.").waitFor();
  });

  await step("the tree seeded through the API is drawn as a graph, bronze to destination", async () => {
    await markNotReloaded();
    await ok("PUT tree", await inPage("PUT", `/api/v1/projects/${projectId}/tree`, TREE));
    await node("HubSpot CRM").waitFor();
    assert.equal(await graph.getByRole("button", { name: /\): Idle$/ }).count(), TREE.nodes.length);
    const left = async (name) => (await node(name).boundingBox()).x;
    const [bronze, silver, gold, destination] = [
      await left("Shopify orders"),
      await left("Orders"),
      await left("Sales by day"),
      await left("HubSpot CRM"),
    ];
    assert.ok(bronze < silver && silver < gold && gold < destination, `columns at ${[bronze, silver, gold, destination]}`);
    assert.equal(await left("Churn risk"), gold);
    assert.equal(await left("Shopify customers"), bronze);
    // React Flow drew the lineage's edges.
    assert.equal(await graph.locator(".react-flow__edge").count(), TREE.edges.length);
    await page.getByRole("list", { name: "Node status colours" }).getByText("Failed").waitFor();
    await assertNotReloaded();
    await shot(page, "project-graph");
  });

  let runId = "";
  await step("a node's status changes live: running (blue), then failed (red), without reload", async () => {
    await markNotReloaded();
    const orders = node("Orders");
    assert.equal(await orders.getAttribute("data-status"), "IDLE");
    const run = await ok("POST run", await inPage("POST", `/api/v1/projects/${projectId}/runs`, { name: "nightly" }));
    runId = run.id;
    await ok(
      "PATCH running",
      await inPage("PATCH", `/api/v1/projects/${projectId}/nodes/orders`, { status: "RUNNING", run_id: runId }),
    );
    await graph.getByRole("button", { name: "Orders (silver table): Running" }).waitFor();
    assert.equal(await orders.evaluate((el) => globalThis.getComputedStyle(el).borderColor), BLUE);
    await page.getByRole("region", { name: "Runs under way" }).getByText("nightly").waitFor();

    await ok(
      "PATCH red",
      await inPage("PATCH", `/api/v1/projects/${projectId}/nodes/orders`, {
        status: "RED",
        run_id: runId,
        error: "column amount is missing in orders_raw",
        metrics: { rows: 1200, bytes: 48000, duration_ms: 1500 },
      }),
    );
    await graph.getByRole("button", { name: "Orders (silver table): Failed" }).waitFor();
    assert.equal(await orders.getAttribute("data-status"), "RED");
    assert.equal(await orders.evaluate((el) => globalThis.getComputedStyle(el).borderColor), RED);
    assert.equal(await node("Customers").getAttribute("data-status"), "IDLE");
    await assertNotReloaded();
    await shot(page, "project-node-red");
  });

  await step("clicking a node opens its side panel: status, error, metrics and its run", async () => {
    await node("Orders").click();
    const panel = page.getByRole("complementary", { name: "Orders" });
    await panel.waitFor();
    assert.equal(await node("Orders").getAttribute("aria-expanded"), "true");
    await panel.getByTestId("node-panel-error").filter({ hasText: "column amount is missing in orders_raw" }).waitFor();
    assert.match(await panel.getByTestId("node-panel-status").innerText(), /Failed/);
    const runs = panel.getByRole("table", { name: "Runs of Orders" });
    await runs.getByRole("cell", { name: "1,200", exact: true }).waitFor();
    assert.equal(await runs.locator("tbody tr").count(), 1);
    assert.match(await runs.innerText(), /Failed[\s\S]*1\.5 s/);
    assert.match(await panel.innerText(), /48 kB/);
    assert.match(await panel.innerText(), /Fed by\s+orders_raw\s+Feeds\s+churn\s+sales_by_day/i);
    await shot(page, "project-node-panel");

    // The panel follows the node live too.
    await ok(
      "PATCH green",
      await inPage("PATCH", `/api/v1/projects/${projectId}/nodes/orders`, { status: "GREEN", run_id: runId }),
    );
    await until("the panel to show the new status", async () => /Succeeded/.test(await panel.getByTestId("node-panel-status").innerText()));
    await panel.getByRole("button", { name: "Close the panel of Orders" }).click();
    await panel.waitFor({ state: "detached" });

    // From the keyboard: a node is a button.
    await node("Customers").focus();
    await page.keyboard.press("Enter");
    const customers = page.getByRole("complementary", { name: "Customers" });
    await customers.getByRole("table", { name: "Runs of Customers" }).getByText("Never run.").waitFor();
    await customers.getByRole("button", { name: "Close the panel of Customers" }).click();
  });

  await step("the layers browser uploads a CSV to bronze (refusing a wrong type), lists, previews and deletes", async () => {
    await tab("Layers").click();
    const upload = page.getByRole("form", { name: "Upload to bronze" });
    const file = upload.getByLabel("File to upload");
    await file.setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not data\n") });
    await upload.getByRole("button", { name: "Upload", exact: true }).click();
    await upload.getByRole("alert").filter({ hasText: "Upload a .csv, .jsonl, .ndjson or .parquet file." }).waitFor();

    const csv = ["order_id,customer,amount,placed_at", "1001,ana@moda.test,120.50,2026-12-01", "1002,bob@moda.test,89.90,2026-12-01", "1003,,15.00,2026-12-02"].join("\n");
    await file.setInputFiles({ name: "orders.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await upload.getByRole("button", { name: "Upload", exact: true }).click();
    await upload.getByRole("status").filter({ hasText: "orders.csv uploaded" }).waitFor();
    const files = page.getByRole("table", { name: "Files in bronze" });
    await files.getByRole("link", { name: "orders.csv", exact: true }).waitFor();
    assert.match(await files.innerText(), /orders\.csv\s+csv\s+\d+ B/);

    await files.getByRole("button", { name: "Preview orders.csv" }).click();
    const preview = page.getByRole("table", { name: "First rows of orders.csv" });
    await preview.getByRole("columnheader", { name: "customer", exact: true }).waitFor();
    assert.equal(await preview.locator("tbody tr").count(), 3);
    await preview.getByRole("cell", { name: "ana@moda.test", exact: true }).waitFor();
    await shot(page, "project-layers");

    await file.setInputFiles({ name: "old.jsonl", mimeType: "application/x-ndjson", buffer: Buffer.from('{"a":1}\n') });
    await upload.getByRole("button", { name: "Upload", exact: true }).click();
    await files.getByRole("link", { name: "old.jsonl", exact: true }).waitFor();
    await files.getByRole("button", { name: "Delete old.jsonl" }).click();
    await files.getByRole("button", { name: "Confirm: delete old.jsonl" }).click();
    await files.getByRole("link", { name: "old.jsonl", exact: true }).waitFor({ state: "detached" });
    const listed = await ok("bronze objects", await inPage("GET", `/api/v1/projects/${projectId}/layers/bronze/objects`));
    assert.deepEqual(listed.map((o) => o.name), ["orders.csv"]);

    await page.getByRole("radio", { name: "silver" }).check();
    await page.getByRole("table", { name: "Files in silver" }).getByText("No files in silver yet.").waitFor();
  });

  await step("a script saved through the API is read in the script viewer, version by version", async () => {
    const v1 = "SELECT order_id, amount FROM bronze.orders";
    const v2 = "SELECT order_id, customer, amount::numeric AS amount\nFROM bronze.orders\nWHERE amount > 0";
    await ok("PUT v1", await inPage("PUT", `/api/v1/projects/${projectId}/scripts/orders_clean`, { layer: "silver", sql: v1 }));
    await tab("Scripts").click();
    const scripts = page.getByRole("table", { name: "Scripts of this project" });
    await scripts.getByRole("button", { name: "orders_clean" }).click();
    const sql = (version) => page.getByLabel(`SQL of orders_clean version ${version}`);
    await sql(1).filter({ hasText: v1 }).waitFor();

    // A new version saved elsewhere arrives live and is shown as the latest.
    await ok("PUT v2", await inPage("PUT", `/api/v1/projects/${projectId}/scripts/orders_clean`, { layer: "silver", sql: v2 }));
    await scripts.getByRole("cell", { name: "v2", exact: true }).waitFor();
    await sql(2).filter({ hasText: "WHERE amount > 0" }).waitFor();
    assert.equal(await sql(2).innerText(), v2);
    await shot(page, "project-script");
    await page.getByLabel("Version", { exact: true }).selectOption("1");
    await sql(1).filter({ hasText: v1 }).waitFor();
  });

  await step("usage posted through the API moves the cost widget live; the budget bar turns amber with an alert", async () => {
    await tab("Lineage").click();
    await markNotReloaded();
    const amount = page.getByTestId("cost-amount");
    const meter = page.getByRole("meter", { name: "Budget used" });
    assert.equal(await amount.innerText(), "$0.00");
    assert.equal(await meter.getAttribute("aria-valuenow"), "0");

    // 3,600 s of E2B CPU at the default rate ($0.000014 a second): $0.0504 of the $0.10 budget.
    await ok(
      "POST usage",
      await inPage("POST", `/api/v1/projects/${projectId}/usage`, { items: [{ resource: "e2b.cpu", quantity: "3600", run_id: runId }] }),
    );
    await page.getByTestId("cost-amount").filter({ hasText: "$0.05" }).waitFor();
    await until("the budget bar at half", async () => (await meter.getAttribute("aria-valuenow")) === "50.4");
    assert.equal(await meter.getAttribute("data-level"), "ok");
    await page.getByRole("table", { name: "Cost by provider" }).getByRole("rowheader", { name: "e2b" }).waitFor();

    await ok("POST more usage", await inPage("POST", `/api/v1/projects/${projectId}/usage`, { items: [{ resource: "e2b.cpu", quantity: "2400" }] }));
    await page.getByTestId("cost-amount").filter({ hasText: "$0.08" }).waitFor();
    await until("the amber bar", async () => (await meter.getAttribute("data-level")) === "warning");
    await page.getByText("Budget 80% reached").waitFor();
    // The state document fetched behind the event: the exact share and the provider split.
    await until("84% of the budget", async () => (await meter.getAttribute("aria-valuenow")) === "84");
    await page.getByRole("table", { name: "Cost by provider" }).getByRole("cell", { name: "$0.08" }).waitFor();
    await assertNotReloaded();
    await shot(page, "project-costs");
  });

  await step("the run, finished through the API, leaves the runs under way live", async () => {
    const running = page.getByRole("region", { name: "Runs under way" });
    await running.getByText("nightly").waitFor();
    await ok("PATCH run", await inPage("PATCH", `/api/v1/projects/${projectId}/runs/${runId}`, { status: "succeeded" }));
    await running.waitFor({ state: "detached" });
    const run = await ok("GET run", await inPage("GET", `/api/v1/projects/${projectId}/runs/${runId}`));
    assert.equal(run.status, "succeeded");
    // The first 3,600 s of usage were recorded against this run.
    assert.ok(Number(run.cost) > 0, `the run's cost: ${run.cost}`);
    await assertNotReloaded();
  });

  await step("a reports batch posted through the API shows in the reports table", async () => {
    await tab("Reports").click();
    const table = page.getByRole("table", { name: "Reports of this project" });
    await table.getByText("No reports yet.").waitFor();
    const batch = (revenue) => ({
      project_id: projectId,
      reports: [
        { slug: "daily_sales", title: "Daily sales", kind: "table", data: { columns: ["day", "revenue"], rows: [["2026-12-01", revenue]] } },
        { slug: "churn_rate", title: "Churn rate", kind: "metric", data: { value: 0.042 } },
      ],
    });
    await ok("POST reports", await inPage("POST", "/api/v1/reports", batch(210.4)));
    await table.getByText("Daily sales", { exact: true }).waitFor();
    await table.getByText("Churn rate", { exact: true }).waitFor();
    assert.match(await table.innerText(), /Daily sales\s+daily_sales\s+table\s+1/);
    assert.match(await table.innerText(), /Churn rate\s+churn_rate\s+metric\s+1/);

    // Written again: the same report, its next revision.
    await ok("POST reports again", await inPage("POST", "/api/v1/reports", batch(260.1)));
    await until("revision 2", async () => /Daily sales\s+daily_sales\s+table\s+2/.test(await table.innerText()));
    await table.getByRole("row", { name: /Daily sales/ }).getByText("Show").click();
    await table.getByText(/260\.1/).waitFor();
    await shot(page, "project-reports");
  });

  await step("the projects list finds the project by search and by status", async () => {
    await nav("Projects").click();
    await atPath(page, "/projects");
    const table = page.getByRole("table", { name: "Projects of this agency" });
    await table.getByRole("link", { name: "Fashion shop", exact: true }).waitFor();
    await page.getByLabel("Search").fill("moda");
    await page.waitForURL((url) => url.search.includes("moda"));
    await table.getByRole("link", { name: "Fashion shop", exact: true }).waitFor();
    assert.match(await table.innerText(), /Fashion shop\s+Moda SRL\s+fashion-shop\s+active\s+\$0\.10/);
    await page.getByLabel("Status").selectOption("archived");
    await table.getByText("No projects match.").waitFor();
    await shot(page, "projects-list");
  });

  await step("the project is edited: its form holds the record, and removing the budget removes the bar", async () => {
    await page.getByLabel("Status").selectOption("");
    await page.getByRole("link", { name: "Edit Fashion shop" }).click();
    await atPath(page, `/projects/${projectId}/edit`);
    const budget = page.getByLabel("Monthly budget");
    await until("the form to load", async () => (await budget.inputValue()) === "0.10");
    assert.equal(await page.getByLabel("Time zone").inputValue(), "Europe/Bucharest");
    assert.equal(await page.getByLabel("Slug").inputValue(), "fashion-shop");
    await page.getByLabel("Client").fill("Moda Group SRL");
    await budget.fill("");
    await page.getByRole("button", { name: "Save" }).click();
    await atPath(page, `/projects/${projectId}`);
    await page.getByText("Moda Group SRL").waitFor();
    await page.getByText("No monthly budget set.").waitFor();
    const project = await ok("the project", await inPage("GET", `/api/v1/projects/${projectId}`));
    assert.deepEqual([project.client_name, project.budget_amount, project.slug], ["Moda Group SRL", null, "fashion-shop"]);
  });
}
