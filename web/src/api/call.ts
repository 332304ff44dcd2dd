// Unwraps an openapi-fetch answer for the screens that call the typed client directly: the
// data of a 2xx, or the answer thrown as the same HttpError the data provider throws; for a
// thing that may not be there (a mailbox's inbox, its DKIM key), a 404 as null.
import { isApiError, networkError, toHttpError } from "./problem";

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export async function unwrap<T>(request: Promise<Answer<T>>): Promise<T> {
  const result = await request.catch((cause: unknown) => {
    throw networkError(cause);
  });
  if (!result.response.ok) throw toHttpError(result.response.status, result.error);
  return result.data as T;
}

/** The data of a 2xx, or null for a 404 (a settings document that was never set). */
export async function unwrapOptional<T>(request: Promise<Answer<T>>): Promise<T | null> {
  return unwrap(request).catch((error: unknown) => {
    if (isApiError(error) && error.statusCode === 404) return null;
    throw error;
  });
}
