// Workspaces, their members and their invitations. Membership changes are serialized per
// workspace by locking the workspace's row, so "the last owner stays" holds however many owners
// act at once; every change of a membership row is announced by the access trigger
// (migration access_notifications), which cuts open sockets.
import type pg from "pg";
import type { Role } from "@/lib/types";
import type { Db } from "./prisma";
import { inTransaction } from "./transaction";

export type WorkspaceRow = { id: string; name: string; role: Role; createdAt: Date; memberCount: number; version: number };
export type MemberRow = { id: string; name: string; email: string; role: Role; joinedAt: Date };
export type InvitationRow = {
  id: string;
  workspaceId: string;
  workspaceName: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  acceptedAt: Date | null;
  createdByName: string;
  acceptedByName: string | null;
};

export async function createWorkspaceWithOwner(db: Db, name: string, ownerId: string): Promise<WorkspaceRow> {
  return inTransaction(db, async (client) => {
    const { rows } = await client.query<{ id: string; name: string; createdAt: Date; version: number }>(
      `INSERT INTO workspaces (name) VALUES ($1) RETURNING id, name, "createdAt", version`,
      [name],
    );
    const workspace = rows[0]!;
    await client.query(`INSERT INTO memberships ("workspaceId", "userId", role) VALUES ($1, $2, 'owner')`, [workspace.id, ownerId]);
    return { ...workspace, role: "owner", memberCount: 1 };
  });
}

const WORKSPACE_COLUMNS = `w.id, w.name, w."createdAt", w.version, m.role,
  (SELECT count(*)::int FROM memberships all_m WHERE all_m."workspaceId" = w.id) AS "memberCount"`;

export async function listWorkspacesOf(db: Db, userId: string): Promise<WorkspaceRow[]> {
  const { rows } = await db.pool.query<WorkspaceRow>(
    `SELECT ${WORKSPACE_COLUMNS} FROM workspaces w JOIN memberships m ON m."workspaceId" = w.id AND m."userId" = $1
     ORDER BY w.name, w.id`,
    [userId],
  );
  return rows;
}

export async function findWorkspaceOf(db: Db, workspaceId: string, userId: string): Promise<WorkspaceRow | null> {
  const { rows } = await db.pool.query<WorkspaceRow>(
    `SELECT ${WORKSPACE_COLUMNS} FROM workspaces w JOIN memberships m ON m."workspaceId" = w.id AND m."userId" = $2 WHERE w.id = $1::uuid`,
    [workspaceId, userId],
  );
  return rows[0] ?? null;
}

export type RenameOutcome = { outcome: "saved"; workspace: WorkspaceRow } | { outcome: "stale"; workspace: WorkspaceRow } | { outcome: "refused" };

/**
 * Renames the workspace if the actor is one of `roles` there and, when `expectedVersion` is given,
 * the workspace is still at it: one conditional UPDATE. "refused": not a member (any more) or not
 * allowed; "stale": renamed by someone else since that version (with the workspace as it is now).
 */
export async function renameWorkspace(
  db: Db,
  input: { workspaceId: string; actorId: string; roles: Role[]; name: string; expectedVersion: number | null },
): Promise<RenameOutcome> {
  const { rows } = await db.pool.query<{ id: string | null }>(
    `UPDATE workspaces w SET name = $4, version = w.version + 1
     WHERE w.id = $1::uuid AND ($5::int IS NULL OR w.version = $5::int)
       AND EXISTS (SELECT 1 FROM memberships m WHERE m."workspaceId" = w.id AND m."userId" = $2 AND m.role = ANY ($3::text[]))
     RETURNING w.id`,
    [input.workspaceId, input.actorId, input.roles, input.name, input.expectedVersion],
  );
  const now = await findWorkspaceOf(db, input.workspaceId, input.actorId);
  if (!now || !input.roles.includes(now.role)) return { outcome: "refused" };
  return rows.length > 0 ? { outcome: "saved", workspace: now } : { outcome: "stale", workspace: now };
}

export async function listMembers(db: Db, workspaceId: string): Promise<MemberRow[]> {
  const { rows } = await db.pool.query<MemberRow>(
    `SELECT u.id, u.name, u.email, m.role, m."createdAt" AS "joinedAt" FROM memberships m JOIN users u ON u.id = m."userId"
     WHERE m."workspaceId" = $1::uuid ORDER BY u.name, u.id`,
    [workspaceId],
  );
  return rows;
}

/** What a membership change found once the workspace was locked: who acts, and the target. */
export type MembershipScene = { actorRole: Role | null; target: MemberRow | null; owners: number };

/**
 * Runs `decide` with the workspace locked (FOR UPDATE on its row): every membership change of one
 * workspace waits for the one before, so two owners demoting each other see each other's result.
 * `decide` returns the change to make, or throws to refuse it.
 */
export async function changeMembership(
  db: Db,
  workspaceId: string,
  actorId: string,
  targetId: string,
  decide: (scene: MembershipScene) => { role: Role } | "remove",
): Promise<MemberRow | null> {
  return inTransaction(db, async (client) => {
    const locked = await client.query(`SELECT 1 FROM workspaces WHERE id = $1::uuid FOR UPDATE`, [workspaceId]);
    const { rows } = await client.query<{ userId: string; role: Role }>(
      `SELECT "userId", role FROM memberships WHERE "workspaceId" = $1::uuid AND "userId" = ANY($2::text[])`,
      [workspaceId, [actorId, targetId]],
    );
    const actorRole = locked.rowCount ? (rows.find((r) => r.userId === actorId)?.role ?? null) : null;
    const targetRole = rows.find((r) => r.userId === targetId)?.role ?? null;
    const target = targetRole
      ? ((
          await client.query<MemberRow>(
            `SELECT u.id, u.name, u.email, m.role, m."createdAt" AS "joinedAt" FROM memberships m JOIN users u ON u.id = m."userId" WHERE m."workspaceId" = $1::uuid AND m."userId" = $2`,
            [workspaceId, targetId],
          )
        ).rows[0] ?? null)
      : null;
    const owners = Number(
      (await client.query<{ n: string }>(`SELECT count(*) AS n FROM memberships WHERE "workspaceId" = $1::uuid AND role = 'owner'`, [workspaceId])).rows[0]!.n,
    );
    const change = decide({ actorRole, target, owners });
    if (change === "remove") {
      await client.query(`DELETE FROM memberships WHERE "workspaceId" = $1::uuid AND "userId" = $2`, [workspaceId, targetId]);
      return null;
    }
    if (target && target.role === change.role) return target;
    await client.query(`UPDATE memberships SET role = $3 WHERE "workspaceId" = $1::uuid AND "userId" = $2`, [workspaceId, targetId, change.role]);
    return { ...target!, role: change.role };
  });
}

export async function insertInvitation(
  db: Db,
  input: { workspaceId: string; role: Role; tokenHash: string; createdById: string; expiresAt: Date },
): Promise<{ id: string; createdAt: Date; expiresAt: Date }> {
  const { rows } = await db.pool.query<{ id: string; createdAt: Date; expiresAt: Date }>(
    `INSERT INTO invitations ("workspaceId", role, "tokenHash", "createdById", "expiresAt") VALUES ($1::uuid, $2, $3, $4, $5)
     RETURNING id, "createdAt", "expiresAt"`,
    [input.workspaceId, input.role, input.tokenHash, input.createdById, input.expiresAt],
  );
  return rows[0]!;
}

const INVITATION_SELECT = `SELECT i.id, i."workspaceId", w.name AS "workspaceName", i.role, i."createdAt", i."expiresAt", i."revokedAt", i."acceptedAt",
  cu.name AS "createdByName", au.name AS "acceptedByName"
  FROM invitations i JOIN workspaces w ON w.id = i."workspaceId" JOIN users cu ON cu.id = i."createdById" LEFT JOIN users au ON au.id = i."acceptedById"`;

/** The workspace's invitations, newest first, bounded (the list is for people to read). */
export async function listInvitations(db: Db, workspaceId: string, limit = 200): Promise<InvitationRow[]> {
  const { rows } = await db.pool.query<InvitationRow>(`${INVITATION_SELECT} WHERE i."workspaceId" = $1::uuid ORDER BY i."createdAt" DESC, i.id LIMIT $2`, [
    workspaceId,
    limit,
  ]);
  return rows;
}

export async function findInvitationByHash(db: Db, tokenHash: string): Promise<InvitationRow | null> {
  const { rows } = await db.pool.query<InvitationRow>(`${INVITATION_SELECT} WHERE i."tokenHash" = $1`, [tokenHash]);
  return rows[0] ?? null;
}

/** Revokes one of the workspace's pending invitations; false when it has none by that id. */
export async function revokeInvitation(db: Db, workspaceId: string, invitationId: string): Promise<boolean> {
  const { rowCount } = await db.pool.query(
    `UPDATE invitations SET "revokedAt" = COALESCE("revokedAt", now()) WHERE id = $1::uuid AND "workspaceId" = $2::uuid`,
    [invitationId, workspaceId],
  );
  return (rowCount ?? 0) > 0;
}

export type AcceptOutcome =
  { outcome: "joined"; workspaceId: string; role: Role } | { outcome: "unusable" } | { outcome: "already_member"; workspaceId: string; role: Role };

/**
 * Uses the invitation once: the conditional UPDATE lets exactly one transaction through (a second
 * one waits on the row and then finds it used), and the membership is added in the same
 * transaction. Someone already a member keeps their role and leaves the invitation unused.
 */
export async function acceptInvitation(db: Db, tokenHash: string, userId: string): Promise<AcceptOutcome> {
  return inTransaction(db, async (client) => {
    const { rows } = await client.query<{ workspaceId: string; role: Role }>(
      `UPDATE invitations SET "acceptedAt" = now(), "acceptedById" = $2
       WHERE "tokenHash" = $1 AND "acceptedAt" IS NULL AND "revokedAt" IS NULL AND "expiresAt" > now()
       RETURNING "workspaceId", role`,
      [tokenHash, userId],
    );
    const used = rows[0];
    if (!used) return { outcome: "unusable" } as const;
    // Two invitations to one workspace accepted at once by one person: the second insert waits for
    // the first and then finds the membership, so it keeps its invitation unused.
    const inserted = await client.query(
      `INSERT INTO memberships ("workspaceId", "userId", role) VALUES ($1, $2, $3) ON CONFLICT ("workspaceId", "userId") DO NOTHING RETURNING role`,
      [used.workspaceId, userId, used.role],
    );
    if (inserted.rowCount === 0) {
      const existing = await client.query<{ role: Role }>(`SELECT role FROM memberships WHERE "workspaceId" = $1 AND "userId" = $2`, [
        used.workspaceId,
        userId,
      ]);
      throw new AlreadyMember(used.workspaceId, existing.rows[0]?.role ?? used.role);
    }
    return { outcome: "joined", workspaceId: used.workspaceId, role: used.role } as const;
  }).catch((error: unknown) => {
    if (error instanceof AlreadyMember) return { outcome: "already_member", workspaceId: error.workspaceId, role: error.role } as const;
    throw error;
  });
}

// Thrown to roll the invitation's use back when the user is already a member.
class AlreadyMember extends Error {
  constructor(
    readonly workspaceId: string,
    readonly role: Role,
  ) {
    super("already a member");
  }
}

export async function hasAnyUser(db: Db | pg.PoolClient): Promise<boolean> {
  const client = "pool" in db ? db.pool : db;
  const { rows } = await client.query(`SELECT 1 FROM users LIMIT 1`);
  return rows.length > 0;
}

/**
 * First run: with the advisory lock held, checks that nobody has an account yet, runs `create`
 * (which signs the owner up) and gives the new user the first workspace. Two first visitors at once:
 * the second waits, then finds the first one's account and is refused.
 */
export async function setUpFirstWorkspace(
  db: Db,
  workspaceName: string,
  create: () => Promise<string>,
): Promise<{ userId: string; workspace: WorkspaceRow } | null> {
  return inTransaction(db, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('tandem:first-run'))`);
    if (await hasAnyUser(client)) return null;
    const userId = await create();
    const { rows } = await client.query<{ id: string; name: string; createdAt: Date; version: number }>(
      `INSERT INTO workspaces (name) VALUES ($1) RETURNING id, name, "createdAt", version`,
      [workspaceName],
    );
    await client.query(`INSERT INTO memberships ("workspaceId", "userId", role) VALUES ($1, $2, 'owner')`, [rows[0]!.id, userId]);
    return { userId, workspace: { ...rows[0]!, role: "owner", memberCount: 1 } };
  });
}
