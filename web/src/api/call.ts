// Unwraps an openapi-fetch answer for the screens that call the typed client directly: the
// data of a 2xx, or the answer thrown as the same HttpError the data provider throws.
import { networkError, toHttpError } from "./problem";

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
