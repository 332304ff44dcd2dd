// The discovery screens in the browser test (run by ./run.mjs, signed in as the demo owner;
// `fortress worker` runs the discovery with the offline rule-based provider): a discovery
// started from the form on the demo project, followed live to ready on its page, its bronze
// profile and validated proposals shown, one accepted and so added to the project.
import assert from "node:assert/strict";

export async function discoverySteps({ page, step, shot, atPath }) {
  const nav = (name) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });

  await step("a discovery started on the demo project proposes SQL that validates; accepting one adds it", async () => {
    await nav("Discoveries").click();
    await atPath(page, "/discoveries");
    const form = page.getByRole("form", { name: "Start a discovery" });
    const project = form.getByLabel("Project");
    // The demo project, whose bronze files the demo seeded.
    await project.selectOption({ label: "Fashion shop analytics" });
    await form.getByRole("button", { name: "Start discovery" }).click();
    await page.waitForURL(/\/discoveries\/[0-9a-f-]{36}$/);

    // Followed live to its end, without reloading.
    await page.locator('[data-status="ready"]').first().waitFor({ timeout: 60_000 });
    await page.getByRole("region", { name: "Bronze profile" }).getByText("bronze.orders").waitFor();
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
