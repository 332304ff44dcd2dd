import type { components } from "../../api/schema";

export type Role = components["schemas"]["Role"];
export type InvitedRole = components["schemas"]["InvitedRole"];

/** Strongest first, as docs/permissions.md lists them. */
export const ROLES: readonly Role[] = ["owner", "admin", "member", "viewer"];
/** Owners are made by promotion, never by invitation. */
export const INVITED_ROLES: readonly InvitedRole[] = ["admin", "member", "viewer"];
