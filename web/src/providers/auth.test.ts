import { describe, expect, it } from "vitest";

import { fakeApi, json, manualTimers, problem } from "../test/fake-api";
import { createAuthProvider } from "./auth";

const ME = {
  user: { id: "u1", email: "demo@datafortress.local", name: "Demo User" },
  tenant: { id: "t1", name: "Demo Agency", slug: "demo" },
  role: "owner",
  permissions: ["leads:read", "members:write"],
  tenants: [],
};

const refreshed = () => json({ access_expires_at: new Date(Date.now() + 900_000).toISOString() });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(handlers: Parameters<typeof fakeApi>[0]) {
  const clock = manualTimers(Date.now());
  const fake = fakeApi({ "POST /api/v1/auth/refresh": refreshed, ...handlers }, clock.timers);
  return { ...fake, clock, auth: createAuthProvider(fake.api, fake.session) };
}

describe("auth provider", () => {
  it("signs in with the cookies and starts the silent refresh", async () => {
    const { auth, calls, requests, clock } = setup({ "POST /api/v1/auth/login": () => json(ME) });

    const result = await auth.login({ email: "demo@datafortress.local", password: "fortress-demo-2026" });
    await settle();

    expect(result).toEqual({ success: true, redirectTo: "/" });
    expect(await requests[0]!.json()).toEqual({ email: "demo@datafortress.local", password: "fortress-demo-2026" });
    expect(requests[0]!.credentials).toBe("include");
    expect(calls()).toEqual(["POST /api/v1/auth/login", "POST /api/v1/auth/refresh"]);
    expect(clock.pendingDelays()).toHaveLength(1);
  });

  it("reports wrong credentials without refreshing", async () => {
    const { auth, calls } = setup({
      "POST /api/v1/auth/login": () => problem(401, "invalid_credentials", "The email or password is not right."),
    });

    const result = await auth.login({ email: "demo@datafortress.local", password: "wrong" });

    expect(result).toMatchObject({
      success: false,
      error: { statusCode: 401, message: "The email or password is not right." },
    });
    expect(calls()).toEqual(["POST /api/v1/auth/login"]);
  });

  it("is authenticated while /auth/me answers, and exposes identity and permissions", async () => {
    const { auth } = setup({ "GET /api/v1/auth/me": () => json(ME) });

    expect(await auth.check()).toEqual({ authenticated: true });
    expect(await auth.getIdentity!()).toEqual({
      id: "u1",
      email: "demo@datafortress.local",
      name: "Demo User",
      tenant: ME.tenant,
      role: "owner",
      scopes: ["leads:read", "members:write"],
    });
    expect(await auth.getPermissions!()).toEqual({ role: "owner", scopes: ["leads:read", "members:write"] });
  });

  it("renews an expired access cookie on check instead of signing out", async () => {
    let fresh = false;
    const { auth, calls } = setup({
      "GET /api/v1/auth/me": () => (fresh ? json(ME) : problem(401, "unauthorized", "expired")),
      "POST /api/v1/auth/refresh": () => {
        fresh = true;
        return refreshed();
      },
    });

    expect(await auth.check()).toEqual({ authenticated: true });
    expect(calls().slice(0, 3)).toEqual(["GET /api/v1/auth/me", "POST /api/v1/auth/refresh", "GET /api/v1/auth/me"]);
  });

  it("sends to the login page when there is no session at all", async () => {
    const { auth } = setup({
      "GET /api/v1/auth/me": () => problem(401, "unauthorized", "Sign in first."),
      "POST /api/v1/auth/refresh": () => problem(401, "unauthorized", "Sign in first."),
    });

    expect(await auth.check()).toMatchObject({ authenticated: false, logout: true, redirectTo: "/login" });
    expect(await auth.getIdentity!()).toBeNull();
  });

  it("signs out on a 401 from any request, but not on a 403", async () => {
    const { auth } = setup({});

    expect(await auth.onError({ statusCode: 401, message: "Sign in first." })).toMatchObject({
      logout: true,
      redirectTo: "/login",
    });
    expect(await auth.onError({ statusCode: 403, message: "forbidden" })).toEqual({});
    expect(await auth.onError(new Error("boom"))).toEqual({});
  });

  it("signs out on the server and stops renewing", async () => {
    const { auth, calls, clock } = setup({
      "POST /api/v1/auth/login": () => json(ME),
      "POST /api/v1/auth/logout": () => new Response(null, { status: 204 }),
    });
    await auth.login({ email: "a@b.test", password: "x" });
    await settle();

    expect(await auth.logout({})).toEqual({ success: true, redirectTo: "/login" });
    expect(calls()).toContain("POST /api/v1/auth/logout");
    expect(clock.pendingDelays()).toEqual([]);
  });

  it("registers a tenant and shows the server's field errors", async () => {
    const body = {
      tenant_name: "Acme",
      tenant_slug: "Acme!",
      name: "Ada",
      email: "ada@acme.test",
      password: "short",
    };
    const { auth } = setup({
      "POST /api/v1/auth/register": () =>
        problem(422, "validation_failed", "The request is not valid.", {
          tenant_slug: ["lower-case letters, digits and dashes"],
          password: ["at least 10 characters"],
        }),
    });

    expect(await auth.register!(body)).toMatchObject({
      success: false,
      error: {
        statusCode: 422,
        errors: { tenant_slug: ["lower-case letters, digits and dashes"], password: ["at least 10 characters"] },
      },
    });
  });

  it("joins the inviting agency with an invitation's token", async () => {
    const { auth, calls, requests } = setup({ "POST /api/v1/auth/invitations/accept": () => json(ME) });

    const result = await auth.register!({ token: "tok", name: "Grace Hopper", password: "a long passphrase" });

    expect(result).toEqual({ success: true, redirectTo: "/" });
    expect(calls()[0]).toBe("POST /api/v1/auth/invitations/accept");
    expect(await requests[0]!.json()).toEqual({ token: "tok", name: "Grace Hopper", password: "a long passphrase" });
  });

  it("asks for a reset link and resets the password with the link's token", async () => {
    const { auth, requests } = setup({
      "POST /api/v1/auth/password/forgot": () => json({ message: "If an account uses this email, a link is on its way." }, 202),
      "POST /api/v1/auth/password/reset": () => new Response(null, { status: 204 }),
    });

    expect(await auth.forgotPassword!({ email: "ada@acme.test" })).toEqual({
      success: true,
      successNotification: { message: "If an account uses this email, a link is on its way." },
    });
    expect(await auth.updatePassword!({ token: "tok", password: "a new and longer passphrase" })).toMatchObject({
      success: true,
      redirectTo: "/login",
    });
    expect(await requests[1]!.json()).toEqual({ token: "tok", new_password: "a new and longer passphrase" });
  });

  it("reports a used or expired reset link", async () => {
    const { auth } = setup({
      "POST /api/v1/auth/password/reset": () => problem(400, "invalid_token", "The link is invalid or has expired."),
    });

    expect(await auth.updatePassword!({ token: "old", password: "a new and longer passphrase" })).toMatchObject({
      success: false,
      error: { statusCode: 400, code: "invalid_token" },
    });
  });
});
