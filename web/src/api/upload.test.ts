import { describe, expect, it } from "vitest";

import { upload } from "./upload";

/** Answers each request with the next of `answers`, reporting progress on the way. */
function fakeRequests(answers: { status: number; body?: unknown }[]) {
  const sent: { method: string; url: string; body: unknown; withCredentials: boolean }[] = [];
  const createRequest = () => {
    const request = {
      status: 0,
      responseText: "",
      withCredentials: false,
      upload: { onprogress: null as ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null },
      onload: null as (() => void) | null,
      onerror: null as (() => void) | null,
      onabort: null as (() => void) | null,
      method: "",
      url: "",
      open(method: string, url: string) {
        request.method = method;
        request.url = url;
      },
      setRequestHeader() {},
      send(body: unknown) {
        sent.push({ method: request.method, url: request.url, body, withCredentials: request.withCredentials });
        const answer = answers.shift();
        queueMicrotask(() => {
          if (!answer) return request.onerror?.();
          request.upload.onprogress?.({ lengthComputable: true, loaded: 5, total: 10 });
          request.upload.onprogress?.({ lengthComputable: true, loaded: 10, total: 10 });
          request.status = answer.status;
          request.responseText = answer.body === undefined ? "" : JSON.stringify(answer.body);
          request.onload?.();
        });
      },
    };
    return request as unknown as XMLHttpRequest;
  };
  return { sent, createRequest };
}

const problem = (status: number, code: string, detail: string) => ({ type: "x", title: "t", status, code, detail });

describe("upload", () => {
  it("posts the form with the cookies, reports progress and returns the answer", async () => {
    const { sent, createRequest } = fakeRequests([{ status: 201, body: { name: "orders.csv" } }]);
    const progress: number[] = [];
    const form = new FormData();

    const created = await upload("/api/v1/x", form, { createRequest, onProgress: (sent, total) => progress.push(sent / total) });

    expect(created).toEqual({ name: "orders.csv" });
    expect(sent).toEqual([{ method: "POST", url: "/api/v1/x", body: form, withCredentials: true }]);
    expect(progress).toEqual([0.5, 1]);
  });

  it("throws the problem as an HttpError (a 415 for a file of the wrong type)", async () => {
    const { createRequest } = fakeRequests([
      { status: 415, body: problem(415, "unsupported_media_type", "Upload a .csv, .jsonl, .ndjson or .parquet file.") },
    ]);
    await expect(upload("/api/v1/x", new FormData(), { createRequest })).rejects.toMatchObject({
      statusCode: 415,
      code: "unsupported_media_type",
      message: "Upload a .csv, .jsonl, .ndjson or .parquet file.",
    });
  });

  it("sends once more after renewing an expired session", async () => {
    const { sent, createRequest } = fakeRequests([
      { status: 401, body: problem(401, "unauthorized", "Sign in.") },
      { status: 201, body: { name: "a.csv" } },
    ]);
    let refreshed = 0;
    const refresh = async () => ++refreshed > 0;

    expect(await upload("/api/v1/x", new FormData(), { createRequest, refresh })).toEqual({ name: "a.csv" });
    expect([sent.length, refreshed]).toEqual([2, 1]);
  });

  it("does not retry other refusals, and says when the connection broke", async () => {
    const refused = fakeRequests([{ status: 401, body: problem(401, "invalid_api_key", "Bad key.") }]);
    await expect(upload("/x", new FormData(), { ...refused, refresh: async () => true })).rejects.toMatchObject({ statusCode: 401 });
    expect(refused.sent).toHaveLength(1);

    const broken = fakeRequests([]);
    await expect(upload("/x", new FormData(), broken)).rejects.toMatchObject({ statusCode: 0 });
  });
});
