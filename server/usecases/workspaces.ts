// Workspaces and their members: any signed-in user creates one and owns it; owners change roles and
// remove members (W1, W2), decided with the workspace locked. A changed membership reaches open
// sockets through the access trigger; REST reads the membership on every request.
import { z } from "zod";
import { formatEtag, parseIfMatch } from "@/lib/etag";
import { decideMembershipChange, type MemberDto, type MembershipChange, type WorkspaceDto } from "@/lib/membership";
import { can, permissionsOf, rolesFor } from "@/lib/permissions";
import { ROLES } from "@/lib/types";
import { AppError, badRequest, forbidden, invalid, notFound } from "@/server/errors";
import * as repo from "@/server/persistence/workspaces-repo";
import { isUuid } from "./access";
import type { Actor, UseCaseDeps } from "./deps";

export type { MemberDto, WorkspaceDto } from "@/lib/membership";

export const toWorkspaceDto = (row: repo.WorkspaceRow): WorkspaceDto => ({
  id: row.id,
  name: row.name,
  role: row.role,
  permissions: permissionsOf(row.role),
  memberCount: row.memberCount,
  createdAt: row.createdAt.toISOString(),
  version: row.version,
  etag: formatEtag(row.id, row.version),
});

const toMemberDto = (row: repo.MemberRow): MemberDto => ({
  id: row.id,
  name: row.name,
  email: row.email,
  role: row.role,
  joinedAt: row.joinedAt.toISOString(),
});

export const WorkspaceName = z.string().trim().min(1, "Give the workspace a name").max(100, "At most 100 characters");

/** Reads one field of a body with its schema; a wrong value is a 422 naming the field. */
export function readField<T>(body: Record<string, unknown>, key: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(body[key]);
  if (!parsed.success) throw invalid({ [key]: parsed.error.issues[0]?.message ?? "Not valid" });
  return parsed.data;
}

export async function createWorkspace(deps: UseCaseDeps, actor: Actor, body: Record<string, unknown>): Promise<WorkspaceDto> {
  const name = readField(body, "name", WorkspaceName);
  return toWorkspaceDto(await repo.createWorkspaceWithOwner(deps.db, name, actor.id));
}

export async function listWorkspaces(deps: UseCaseDeps, actor: Actor): Promise<WorkspaceDto[]> {
  return (await repo.listWorkspacesOf(deps.db, actor.id)).map(toWorkspaceDto);
}

/** The workspace as its member sees it; another's is a 404, as if it did not exist. */
export async function getWorkspace(deps: UseCaseDeps, actor: Actor, workspaceId: string): Promise<WorkspaceDto> {
  if (!isUuid(workspaceId)) throw notFound("Workspace");
  const row = await repo.findWorkspaceOf(deps.db, workspaceId, actor.id);
  if (!row) throw notFound("Workspace");
  return toWorkspaceDto(row);
}

/**
 * PATCH /api/workspaces/:id {"name"}: owners rename it. With If-Match (the workspace's ETag, as the
 * page sends it) a rename made meanwhile by someone else is a 412 carrying the current workspace,
 * never overwritten; without it the rename applies to whatever name is current.
 */
export async function renameWorkspaceName(
  deps: UseCaseDeps,
  actor: Actor,
  workspaceId: string,
  input: { body: Record<string, unknown>; ifMatch: string | null },
): Promise<WorkspaceDto> {
  const workspace = await getWorkspace(deps, actor, workspaceId);
  if (!can(workspace.role, "workspace.manage")) throw forbidden("Only the workspace's owners can rename it");
  const unknown = Object.keys(input.body).filter((key) => key !== "name");
  if (unknown.length > 0) throw invalid(Object.fromEntries(unknown.map((key) => [key, "Only the name of a workspace can be changed"])));
  const name = readField(input.body, "name", WorkspaceName);
  let expectedVersion: number | null = null;
  if (input.ifMatch !== null && input.ifMatch.trim() !== "") {
    const token = parseIfMatch(input.ifMatch, workspace.id);
    if (!token.ok) throw badRequest(token.message);
    if (token.version < 1 || token.version > workspace.version) throw badRequest(`If-Match names version ${token.version}, which this workspace never had`);
    expectedVersion = token.version;
  }
  const outcome = await repo.renameWorkspace(deps.db, {
    workspaceId: workspace.id,
    actorId: actor.id,
    roles: rolesFor("workspace.manage"),
    name,
    expectedVersion,
  });
  if (outcome.outcome === "refused") throw forbidden("Only the workspace's owners can rename it");
  if (outcome.outcome === "stale") {
    const current = toWorkspaceDto(outcome.workspace);
    throw new AppError("stale", `This workspace was renamed to “${current.name}” since your copy: your name is not saved`, { current });
  }
  return toWorkspaceDto(outcome.workspace);
}

/** W1: the workspace, once the actor is known to manage its members. */
export async function assertManager(deps: UseCaseDeps, actor: Actor, workspaceId: string): Promise<WorkspaceDto> {
  const workspace = await getWorkspace(deps, actor, workspaceId);
  if (!can(workspace.role, "members.manage")) throw forbidden("Only the workspace's owners manage its members");
  return workspace;
}

export async function listMembers(deps: UseCaseDeps, actor: Actor, workspaceId: string): Promise<MemberDto[]> {
  await assertManager(deps, actor, workspaceId);
  return (await repo.listMembers(deps.db, workspaceId)).map(toMemberDto);
}

const RoleInput = z.enum(ROLES, { error: `role must be one of ${ROLES.join(", ")}` });

export async function changeMemberRole(
  deps: UseCaseDeps,
  actor: Actor,
  workspaceId: string,
  userId: string,
  body: Record<string, unknown>,
): Promise<MemberDto> {
  if (!isUuid(workspaceId)) throw notFound("Workspace");
  // Refusals that need no lock first (role checks come again under the lock).
  await assertManager(deps, actor, workspaceId);
  const role = readField(body, "role", RoleInput);
  const member = await decideUnderLock(deps, actor, workspaceId, userId, { role });
  return toMemberDto(member!);
}

/** An owner removes a member, or a member leaves (W1); the last owner stays (W2). */
export async function removeMember(deps: UseCaseDeps, actor: Actor, workspaceId: string, userId: string): Promise<void> {
  if (!isUuid(workspaceId)) throw notFound("Workspace");
  if (userId === actor.id) await getWorkspace(deps, actor, workspaceId);
  else await assertManager(deps, actor, workspaceId);
  await decideUnderLock(deps, actor, workspaceId, userId, "remove");
}

async function decideUnderLock(deps: UseCaseDeps, actor: Actor, workspaceId: string, userId: string, change: MembershipChange) {
  return repo.changeMembership(deps.db, workspaceId, actor.id, userId, ({ actorRole, target, owners }) => {
    const refusal = decideMembershipChange({ actorRole, targetRole: target?.role ?? null, owners, isSelf: userId === actor.id }, change);
    if (refusal) throw refusalError(refusal.status, refusal.message);
    return change;
  });
}

function refusalError(status: 403 | 404 | 409, message: string): AppError {
  if (status === 404) return new AppError("not_found", message);
  if (status === 403) return forbidden(message);
  return new AppError("conflict", message);
}
