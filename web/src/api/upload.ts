// A multipart upload that reports its progress. fetch cannot tell how much of a request body
// has been sent, so this one request goes through XMLHttpRequest; it keeps the client's other
// habits: the session cookie (same origin), the answer's problem+json thrown as the same
// HttpError (./problem), and one retry after a silent refresh when the access cookie expired.
import { networkError, toHttpError } from "./problem";

export interface UploadOptions {
  /** Bytes sent so far and in all, as the browser reports them. */
  onProgress?: (sent: number, total: number) => void;
  /** Renews the session; true when it was renewed (`session.refresh`). */
  refresh?: () => Promise<boolean>;
  /** Makes the request object (a fake in tests). */
  createRequest?: () => XMLHttpRequest;
}

interface Answer {
  status: number;
  body: unknown;
}

export async function upload<T>(url: string, form: FormData, options: UploadOptions = {}): Promise<T> {
  let answer = await send(url, form, options);
  if (answer.status === 401 && codeOf(answer.body) === "unauthorized" && (await options.refresh?.())) {
    answer = await send(url, form, options);
  }
  if (answer.status < 200 || answer.status > 299) throw toHttpError(answer.status, answer.body);
  return answer.body as T;
}

function send(url: string, form: FormData, { onProgress, createRequest }: UploadOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = createRequest ? createRequest() : new XMLHttpRequest();
    request.open("POST", url);
    request.withCredentials = true;
    request.setRequestHeader("accept", "application/json");
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded, event.total);
    };
    request.onload = () => resolve({ status: request.status, body: parse(request.responseText) });
    request.onerror = () => reject(networkError(new Error("the upload was interrupted")));
    request.onabort = () => reject(networkError(new Error("the upload was cancelled")));
    request.send(form);
  });
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function codeOf(body: unknown): unknown {
  return typeof body === "object" && body !== null ? (body as { code?: unknown }).code : undefined;
}
