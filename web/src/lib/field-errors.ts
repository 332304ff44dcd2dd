// The API's 422 field errors (`errors: {field: [messages]}`): put on a react-hook-form form
// (`rename` maps a field the API names to the form's own; react-hook-form reads nested paths
// such as `steps[0].variants[1].subject` as they are), or read one by one by a hand-made form.
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";

import { isApiError } from "../api/problem";

export function showFieldErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  rename: (field: string) => string = (field) => field,
): void {
  if (!isApiError(error) || !error.errors) return;
  for (const [field, messages] of Object.entries(error.errors)) {
    const message = Array.isArray(messages) ? messages.join(" ") : String(messages);
    setError(rename(field) as Path<T>, { type: "server", message });
  }
}

/** The server's message for one field of a 422, if it named that field. */
export function fieldError(error: unknown, field: string): string | undefined {
  const messages = isApiError(error) ? error.errors?.[field] : undefined;
  if (!messages) return undefined;
  return Array.isArray(messages) ? messages.join(" ") : String(messages);
}
