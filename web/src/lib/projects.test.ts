import { describe, expect, it } from "vitest";

import { EMPTY_PROJECT_FORM, formToProject, slugify, type Project, type ProjectForm } from "./projects";

describe("slugify", () => {
  it("makes lower-case words joined by single dashes", () => {
    expect(slugify("Fashion Shop")).toBe("fashion-shop");
    expect(slugify("  Fashion Shop — Q4!  ")).toBe("fashion-shop-q4");
    expect(slugify("Brașov Café 2026")).toBe("brasov-cafe-2026");
    expect(slugify("---")).toBe("");
  });

  it("stays short enough, without a dash at the end", () => {
    const slug = slugify(`${"a".repeat(62)} b`);
    expect(slug.length).toBeLessThanOrEqual(63);
    expect(slug.endsWith("-")).toBe(false);
  });
});

describe("formToProject", () => {
  it("trims the text and keeps the amount exact", () => {
    expect(
      formToProject({
        ...EMPTY_PROJECT_FORM,
        name: " Fashion shop ",
        slug: "fashion-shop",
        client_name: " Moda SRL ",
        budget_amount: "1500.00",
        budget_currency: "eur",
        timezone: "Europe/Bucharest",
      }),
    ).toEqual({
      name: "Fashion shop",
      slug: "fashion-shop",
      client_name: "Moda SRL",
      description: "",
      status: "active",
      timezone: "Europe/Bucharest",
      budget_amount: "1500.00",
      budget_currency: "EUR",
    });
  });

  it("sends no budget for an empty amount, and reads a decimal comma", () => {
    expect(formToProject({ ...EMPTY_PROJECT_FORM, budget_amount: " " }).budget_amount).toBeNull();
    expect(formToProject({ ...EMPTY_PROJECT_FORM, budget_amount: "12,50" }).budget_amount).toBe("12.50");
    // As an edited record without a budget fills the form.
    expect(formToProject({ ...EMPTY_PROJECT_FORM, budget_amount: null as unknown as string }).budget_amount).toBeNull();
  });

  it("falls back to UTC and USD, and leaves an unknown status to the server's default", () => {
    const payload = formToProject({ ...EMPTY_PROJECT_FORM, timezone: "", budget_currency: "", status: "" });
    expect(payload).toMatchObject({ timezone: "UTC", budget_currency: "USD", status: undefined });
  });

  it("sends back a record as the edit form holds it (its own fields, a null budget)", () => {
    const project: Project = {
      id: "p",
      name: "Shop",
      slug: "shop",
      client_name: "Moda",
      description: "Orders and churn",
      status: "paused",
      timezone: "Europe/Lisbon",
      budget_amount: null,
      budget_currency: "EUR",
      created_at: "2026-12-01T00:00:00Z",
      updated_at: "2026-12-01T00:00:00Z",
    };
    expect(formToProject(project as unknown as ProjectForm)).toEqual({
      name: "Shop",
      slug: "shop",
      client_name: "Moda",
      description: "Orders and churn",
      status: "paused",
      timezone: "Europe/Lisbon",
      budget_amount: null,
      budget_currency: "EUR",
    });
  });
});
