// The discovery screens in the browser test (run by ./run.mjs, signed in as the demo owner;
// `fortress worker` runs the discovery with the offline rule-based provider): a project with
// bronze orders and customers (made through the API), a discovery started on it from the form,
// followed live to ready on its page, its bronze profile and validated proposals shown, one
// accepted and so added to the project.
import assert from "node:assert/strict";

import { inPage as callInPage } from "./helpers.mjs";

const ORDERS = `order_id,customer_id,amount,ordered_at
1,10,25.50,2026-11-02T09:14:00Z
2,11,80.00,2026-11-02T11:40:00Z
3,10,12.00,2026-11-03T16:05:00Z
`;
const CUSTOMERS = `customer_id,email,country
10,ana@example.com,ro
11,ben@example.org,de
`;

/** Uploads `text` as bronze file `name` of `project`, from inside the signed-in page. */
function upload(page, project, name, text) {
  return page.evaluate(
    async ({ project, name, text }) => {
      const form = new FormData();
      form.append("file", new File([text], name, { type: "text/csv" }));
      const res = await fetch(`/api/v1/projects/${project}/layers/bronze/objects`, { method: "POST", body: form });
      return res.status;
    },
    { project, name, text },
  );
}

export async function discoverySteps({ page, step, shot, atPath }) {
  const nav = (name) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });

  await step("a discovery started on a project proposes SQL that validates; accepting one adds it", async () => {
    const inPage = callInPage(page);
    const created = await inPage("POST", "/api/v1/projects", { name: "Discovery shop", slug: "discovery-shop" });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(await upload(page, created.body.id, "orders.csv", ORDERS), 201);
    assert.equal(await upload(page, created.body.id, "customers.csv", CUSTOMERS), 201);

    await nav("Discoveries").click();
    await atPath(page, "/discoveries");
    const form = page.getByRole("form", { name: "Start a discovery" });
    const project = form.getByLabel("Project");
    await project.selectOption({ label: "Discovery shop" });
    await form.getByRole("button", { name: "Start discovery" }).click();
    await page.waitForURL(/\/discoveries\/[0-9a-f-]{36}$/);

    // Followed live to its end, without reloading.
    await page.locator('[data-status="ready"]').first().waitFor({ timeout: 60_000 });
    await page.getByRole("region", { name: "Bronze profile" }).getByRole("heading", { name: "bronze.orders · 3 rows" }).waitFor();
    const proposals = page.getByRole("region", { name: "Proposals" });
    const orders = proposals.getByRole("article", { name: "silver.orders" });
    await orders.locator('[data-status="valid"]').waitFor();
    assert.match(await orders.getByLabel("SQL of silver.orders").innerText(), /CREATE OR REPLACE TABLE silver\."orders"/);
    assert.ok((await proposals.getByRole("article").count()) >= 4);
    await shot(page, "discovery");

    await orders.getByRole("button", { name: "Accept" }).click();
    await orders.locator('[data-status="accepted"]').waitFor();
    await orders.getByRole("link", { name: "see its tree" }).waitFor();
    // Accepted once: the button is gone.
    assert.equal(await orders.getByRole("button", { name: "Accept" }).count(), 0);
  });
}
