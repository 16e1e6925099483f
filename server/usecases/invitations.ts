// Invitations by link (W3, W4): an owner makes one with a role; the token is shown once, in the
// link, and only its SHA-256 is kept. Accepting uses it once, in the transaction that adds the
// membership. A sign-up that carries a pending invitation's token is let through (auth.ts).
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { INVITATION_DAYS, invitationExpiry, invitationStatus, type InvitationStatus } from "@/lib/membership";
import { ROLES, type Role } from "@/lib/types";
import { AppError, notFound } from "@/server/errors";
import * as repo from "@/server/persistence/workspaces-repo";
import { isUuid } from "./access";
import type { Actor, UseCaseDeps } from "./deps";
import { assertManager, getWorkspace, readField, type WorkspaceDto } from "./workspaces";

export type InvitationDto = {
  id: string;
  workspaceId: string;
  role: Role;
  status: InvitationStatus;
  createdAt: string;
  expiresAt: string;
  createdBy: string;
  acceptedBy: string | null;
};

const toDto = (row: repo.InvitationRow, now = new Date()): InvitationDto => ({
  id: row.id,
  workspaceId: row.workspaceId,
  role: row.role,
  status: invitationStatus(row, now),
  createdAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt.toISOString(),
  createdBy: row.createdByName,
  acceptedBy: row.acceptedByName,
});

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

// 32 random bytes, base64url: what a link can carry. Anything else is not a token of ours.
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
export const isTokenShaped = (token: string) => TOKEN.test(token);

const RoleInput = z.enum(ROLES, { error: `role must be one of ${ROLES.join(", ")}` });
const Days = z
  .number({ error: `expiresInDays must be a whole number from ${INVITATION_DAYS.min} to ${INVITATION_DAYS.max}` })
  .int(`expiresInDays must be a whole number from ${INVITATION_DAYS.min} to ${INVITATION_DAYS.max}`)
  .min(INVITATION_DAYS.min, `expiresInDays must be at least ${INVITATION_DAYS.min}`)
  .max(INVITATION_DAYS.max, `expiresInDays must be at most ${INVITATION_DAYS.max}`)
  .optional();

export async function createInvitation(
  deps: UseCaseDeps,
  actor: Actor,
  workspaceId: string,
  body: Record<string, unknown>,
  origin: string,
): Promise<{ invitation: InvitationDto; token: string; url: string }> {
  await assertManager(deps, actor, workspaceId);
  const role = readField(body, "role", RoleInput);
  const days = readField(body, "expiresInDays", Days);
  const token = randomBytes(32).toString("base64url");
  const created = await repo.insertInvitation(deps.db, {
    workspaceId,
    role,
    tokenHash: hashToken(token),
    createdById: actor.id,
    expiresAt: invitationExpiry(new Date(), days),
  });
  const invitation: InvitationDto = {
    id: created.id,
    workspaceId,
    role,
    status: "pending",
    createdAt: created.createdAt.toISOString(),
    expiresAt: created.expiresAt.toISOString(),
    createdBy: actor.name,
    acceptedBy: null,
  };
  return { invitation, token, url: `${origin}/invite/${token}` };
}

export async function listInvitations(deps: UseCaseDeps, actor: Actor, workspaceId: string): Promise<InvitationDto[]> {
  await assertManager(deps, actor, workspaceId);
  const now = new Date();
  return (await repo.listInvitations(deps.db, workspaceId)).map((row) => toDto(row, now));
}

export async function revokeInvitation(deps: UseCaseDeps, actor: Actor, workspaceId: string, invitationId: string): Promise<void> {
  await assertManager(deps, actor, workspaceId);
  if (!isUuid(invitationId) || !(await repo.revokeInvitation(deps.db, workspaceId, invitationId))) throw notFound("Invitation");
}

/** What the link's page shows before anyone signs in: the workspace's name, the role and whether it can still be used. */
export async function describeInvitation(
  deps: UseCaseDeps,
  token: string,
): Promise<{ workspaceName: string; role: Role; status: InvitationStatus; expiresAt: string }> {
  const row = isTokenShaped(token) ? await repo.findInvitationByHash(deps.db, hashToken(token)) : null;
  if (!row) throw notFound("Invitation");
  return { workspaceName: row.workspaceName, role: row.role, status: invitationStatus(row, new Date()), expiresAt: row.expiresAt.toISOString() };
}

/** True when a sign-up carrying this token may go ahead: a pending invitation. */
export async function isPendingInvitation(deps: Pick<UseCaseDeps, "db">, token: string): Promise<boolean> {
  if (!isTokenShaped(token)) return false;
  const row = await repo.findInvitationByHash(deps.db, hashToken(token));
  return !!row && invitationStatus(row, new Date()) === "pending";
}

const UNUSABLE: Record<Exclude<InvitationStatus, "pending">, string> = {
  accepted: "This invitation has already been used",
  revoked: "This invitation was revoked; ask an owner for a new link",
  expired: "This invitation has expired; ask an owner for a new link",
};

export async function acceptInvitation(deps: UseCaseDeps, actor: Actor, token: string): Promise<{ workspace: WorkspaceDto; joined: boolean }> {
  if (!isTokenShaped(token)) throw notFound("Invitation");
  const hash = hashToken(token);
  const outcome = await repo.acceptInvitation(deps.db, hash, actor.id);
  if (outcome.outcome === "unusable") {
    const row = await repo.findInvitationByHash(deps.db, hash);
    if (!row) throw notFound("Invitation");
    const status = invitationStatus(row, new Date());
    throw new AppError("gone", status === "pending" ? UNUSABLE.accepted : UNUSABLE[status]);
  }
  if (outcome.outcome === "already_member") {
    throw new AppError("conflict", `You are already a member of this workspace (${outcome.role})`, { workspaceId: outcome.workspaceId });
  }
  return { workspace: await getWorkspace(deps, actor, outcome.workspaceId), joined: true };
}
