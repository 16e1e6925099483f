// Who may do what: the one authorization rule (SPEC P1–P3). HTTP handlers, socket handlers, the
// SQL that writes (through `rolesFor`) and the UI all ask here; nobody compares role names.
import { ROLES, type Role } from "./types";

export const ACTIONS = [
  "record.read",
  "record.create",
  "record.write",
  "record.delete",
  "record.restore",
  "record.undelete",
  "record.import",
  "record.export",
  "doc.edit",
  "presence.publish",
  "collection.manage",
  "workspace.manage",
  "members.manage",
  "webhooks.manage",
  "contention.view",
] as const;
export type Action = (typeof ACTIONS)[number];

const READ: readonly Action[] = ["record.read", "record.export", "presence.publish"];
const WRITE: readonly Action[] = [...READ, "record.create", "record.write", "record.delete", "record.restore", "record.undelete", "record.import", "doc.edit"];

const GRANTS: Record<Role, ReadonlySet<Action>> = {
  owner: new Set(ACTIONS),
  editor: new Set(WRITE),
  viewer: new Set(READ),
};

/** Where an action happens, beyond who does it: an archived collection's records are read-only (P4). */
export type Scope = { isArchived?: boolean };

/** P4: what an archived collection still allows: reading, export, presence, and what its owners manage (unarchiving it among them). */
const ARCHIVED_ALLOWS: ReadonlySet<Action> = new Set<Action>([
  ...READ,
  "collection.manage",
  "workspace.manage",
  "members.manage",
  "webhooks.manage",
  "contention.view",
]);

/** P1, P4: may someone with this role (null: no membership) do this, here? Unknown roles may do nothing. */
export function can(role: Role | null | undefined, action: Action, scope: Scope = {}): boolean {
  if (scope.isArchived && !ARCHIVED_ALLOWS.has(action)) return false;
  return role != null && (GRANTS[role]?.has(action) ?? false);
}

/** P2: the roles allowed an action, for a query to check membership in the same statement as the write. */
export function rolesFor(action: Action): Role[] {
  return ROLES.filter((role) => GRANTS[role].has(action));
}

export type Permissions = Record<Action, boolean>;

/** P3: everything a role may do (in an archived collection or not), sent with responses so that the UI never guesses from a role name. */
export function permissionsOf(role: Role | null | undefined, scope: Scope = {}): Permissions {
  return Object.fromEntries(ACTIONS.map((action) => [action, can(role, action, scope)])) as Permissions;
}
