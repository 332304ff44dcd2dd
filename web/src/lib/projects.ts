// Projects as the form edits them: the form's text values turned into the API's payload, and
// the slug suggested from the name while the slug has not been typed by hand.
import type { components } from "../api/schema";

export type Project = components["schemas"]["Project"];
export type ProjectInput = components["schemas"]["CreateProject"];

export const PROJECT_STATUSES = ["active", "paused", "archived"] as const;

/** The form's values: each input's text. */
export interface ProjectForm {
  name: string;
  slug: string;
  client_name: string;
  description: string;
  status: string;
  timezone: string;
  budget_amount: string;
  budget_currency: string;
}

export const EMPTY_PROJECT_FORM: ProjectForm = {
  name: "",
  slug: "",
  client_name: "",
  description: "",
  status: "active",
  timezone: "UTC",
  budget_amount: "",
  budget_currency: "USD",
};

/** The create or update payload: trimmed text, no budget when its amount is empty (which on
 * an update removes it), the amount as the exact decimal typed (a comma read as the point),
 * the currency in capitals. The server validates the rest and names the fields it refuses.
 * An edited record fills the form with its own values, a null budget included: any value
 * that is not text counts as empty. */
export function formToProject(form: ProjectForm): ProjectInput {
  const text = (value: unknown) => (typeof value === "string" ? value.trim() : "");
  const amount = text(form.budget_amount).replace(",", ".");
  return {
    name: text(form.name),
    slug: text(form.slug),
    client_name: text(form.client_name),
    description: text(form.description),
    status: (PROJECT_STATUSES as readonly string[]).includes(form.status)
      ? (form.status as ProjectInput["status"])
      : undefined,
    timezone: text(form.timezone) || "UTC",
    budget_amount: amount === "" ? null : amount,
    budget_currency: text(form.budget_currency).toUpperCase() || "USD",
  };
}

/** "Fashion Shop — Q4!" -> "fashion-shop-q4": lower-case words joined by single dashes. */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
}
