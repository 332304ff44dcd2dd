// Refine's auth provider over the API's HttpOnly session cookies: the page never sees a
// token. Signing in (or finding a valid session) starts the silent refresh; a 401 anywhere
// signs out, a 403 does not (the user is signed in, only not allowed to do that).
import type { AuthProvider } from "@refinedev/core";

import type { Api } from "../api/client";
import { isApiError, networkError, toHttpError, type ApiError } from "../api/problem";
import type { components } from "../api/schema";
import type { Session } from "../api/session";

export type Me = components["schemas"]["MeResponse"];
type RegisterRequest = components["schemas"]["RegisterRequest"];
type AcceptInvitationRequest = components["schemas"]["AcceptInvitationRequest"];

export interface Identity {
  id: string;
  name: string;
  email: string;
  tenant: Me["tenant"];
  role: Me["role"];
  /** The scopes this user holds (docs/permissions.md). */
  scopes: string[];
}

export interface Permissions {
  role: Me["role"];
  scopes: string[];
}

export interface LoginParams {
  email: string;
  password: string;
}

export interface ResetPasswordParams {
  token: string;
  password: string;
}

type Outcome<T> = { data: T; error?: never } | { data?: never; error: ApiError };

/** Runs a generated-client call and turns whatever goes wrong into an ApiError. */
async function attempt<T>(
  request: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<Outcome<T>> {
  try {
    const { data, error, response } = await request;
    return response.ok ? { data: data as T } : { error: toHttpError(response.status, error) };
  } catch (cause) {
    return { error: networkError(cause) };
  }
}

export function createAuthProvider(api: Api, session: Session): AuthProvider {
  // One /auth/me request for callers that ask at the same time (check, identity, permissions).
  let pendingMe: Promise<Outcome<Me>> | null = null;
  const me = () => {
    pendingMe ??= attempt(api.GET("/api/v1/auth/me")).finally(() => {
      pendingMe = null;
    });
    return pendingMe;
  };

  const signedIn = (redirectTo: string) => {
    session.keepAlive();
    return { success: true, redirectTo };
  };

  return {
    async login({ email, password }: LoginParams) {
      const { error } = await attempt(api.POST("/api/v1/auth/login", { body: { email, password } }));
      return error ? { success: false, error } : signedIn("/");
    },

    /** A new agency, or (with an invitation's `token`) joining the agency that invited. */
    async register(params: RegisterRequest | AcceptInvitationRequest) {
      const { error } = await attempt(
        "token" in params
          ? api.POST("/api/v1/auth/invitations/accept", { body: params })
          : api.POST("/api/v1/auth/register", { body: params }),
      );
      return error ? { success: false, error } : signedIn("/");
    },

    async logout() {
      session.end();
      // Signing out locally must not depend on the server: a failed call still leaves.
      await attempt(api.POST("/api/v1/auth/logout"));
      return { success: true, redirectTo: "/login" };
    },

    async check() {
      const { error } = await me();
      if (!error) {
        session.keepAlive();
        return { authenticated: true };
      }
      return { authenticated: false, logout: error.statusCode === 401, redirectTo: "/login", error };
    },

    async onError(error: unknown) {
      if (isApiError(error) && error.statusCode === 401) {
        session.end();
        return { logout: true, redirectTo: "/login", error };
      }
      return {};
    },

    async getIdentity(): Promise<Identity | null> {
      const { data } = await me();
      if (!data?.user) return null;
      return {
        ...data.user,
        tenant: data.tenant,
        role: data.role,
        scopes: data.permissions,
      };
    },

    async getPermissions(): Promise<Permissions | null> {
      const { data } = await me();
      return data ? { role: data.role, scopes: data.permissions } : null;
    },

    async forgotPassword({ email }: { email: string }) {
      const { data, error } = await attempt(api.POST("/api/v1/auth/password/forgot", { body: { email } }));
      if (error) return { success: false, error };
      return { success: true, successNotification: { message: data.message } };
    },

    async updatePassword({ token, password }: ResetPasswordParams) {
      const { error } = await attempt(
        api.POST("/api/v1/auth/password/reset", { body: { token, new_password: password } }),
      );
      if (error) return { success: false, error };
      return {
        success: true,
        redirectTo: "/login",
        successNotification: { message: "Your password was changed. Sign in with the new one." },
      };
    },
  };
}
