// Puts the API's 422 field errors (`errors: {field: [messages]}`) on a react-hook-form form.
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";

import { isApiError } from "../api/problem";

export function showFieldErrors<T extends FieldValues>(error: unknown, setError: UseFormSetError<T>): void {
  if (!isApiError(error) || !error.errors) return;
  for (const [field, messages] of Object.entries(error.errors)) {
    const message = Array.isArray(messages) ? messages.join(" ") : String(messages);
    setError(field as Path<T>, { type: "server", message });
  }
}
