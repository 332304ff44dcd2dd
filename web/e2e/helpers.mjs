// Helpers shared by the browser test's step files.

/** Calls the API from inside the signed-in page, as the UI does: the session cookies go with
 * it, and the browser adds the Origin header that unsafe methods need (CSRF check). */
export function inPage(page) {
  return (method, path, body) =>
    page.evaluate(
      async ({ method, path, body }) => {
        const res = await fetch(path, {
          method,
          headers: body ? { "content-type": "application/json" } : {},
          body: body ? JSON.stringify(body) : undefined,
        });
        return { status: res.status, body: await res.json().catch(() => null) };
      },
      { method, path, body },
    );
}

/** Polls `check` until it returns something truthy, and returns that. */
export async function until(what, check, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
