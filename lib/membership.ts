// Who may change whose membership, and what an invitation's state is (lib/SPEC.md W1–W4). Pure:
// the server runs these with the workspace locked, the UI to show what it may offer.
import { can, type Permissions } from "./permissions";
import type { Role } from "./types";

/** A workspace as the API answers it to one of its members. */
export type WorkspaceDto = {
  id: string;
  name: string;
  role: Role;
  permissions: Permissions;
  memberCount: number;
  createdAt: string;
  /** bumped by each rename; its ETag (formatEtag(id, version)) goes with PATCH /api/workspaces/:id */
  version: number;
  etag: string;
};
/** A member as the members page lists them. */
export type MemberDto = { id: string; name: string; email: string; role: Role; joinedAt: string };

export type MembershipChange = { role: Role } | "remove";
export type MembershipRefusal = { status: 403 | 404 | 409; message: string };

/**
 * W1, W2: an owner may change any member's role or remove them, and any member may leave (remove
 * themselves), except that a workspace always keeps an owner: the last owner can be neither
 * demoted nor removed, nor leave. A stranger learns nothing (404), a member who is not an owner is
 * refused (403), an unknown target is a 404.
 */
export function decideMembershipChange(
  scene: { actorRole: Role | null; targetRole: Role | null; owners: number; isSelf?: boolean },
  change: MembershipChange,
): MembershipRefusal | null {
  if (!scene.actorRole) return { status: 404, message: "Workspace not found" };
  const isLeaving = change === "remove" && scene.isSelf === true;
  if (!isLeaving && !can(scene.actorRole, "members.manage")) return { status: 403, message: "Only the workspace's owners manage its members" };
  if (!scene.targetRole) return { status: 404, message: "Member not found" };
  const losesOwner = scene.targetRole === "owner" && (change === "remove" || change.role !== "owner");
  if (losesOwner && scene.owners <= 1) {
    const what = isLeaving ? "leave" : change === "remove" ? "be removed" : "be demoted";
    return { status: 409, message: `The last owner cannot ${what}; make someone else an owner first` };
  }
  return null;
}

export const INVITATION_DAYS = { min: 1, max: 30, default: 7 } as const;

export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

/** W3: an invitation is used once; revoked or used, it stays so; otherwise it expires at its time. */
export function invitationStatus(
  invitation: { acceptedAt: Date | string | null; revokedAt: Date | string | null; expiresAt: Date | string },
  now: Date,
): InvitationStatus {
  if (invitation.acceptedAt) return "accepted";
  if (invitation.revokedAt) return "revoked";
  return new Date(invitation.expiresAt).getTime() > now.getTime() ? "pending" : "expired";
}

/** W4: an invitation expires whole days after it is made, from 1 to 30 (7 when not said). */
export function invitationExpiry(now: Date, days: number = INVITATION_DAYS.default): Date {
  if (!Number.isInteger(days) || days < INVITATION_DAYS.min || days > INVITATION_DAYS.max)
    throw new RangeError(`expiresInDays must be a whole number from ${INVITATION_DAYS.min} to ${INVITATION_DAYS.max}`);
  return new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
}
