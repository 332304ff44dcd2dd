// Scopes from the permission matrix (docs/permissions.md) that the UI checks before offering
// an action; the API checks them again, so hiding a button is only a courtesy.
import type { Identity } from "../providers/auth";

export function holds(identity: Identity | undefined | null, scope: string): boolean {
  return identity?.scopes.includes(scope) ?? false;
}
