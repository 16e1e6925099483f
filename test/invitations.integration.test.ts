// Invitations by link (issue 12, W3, W4): owners make, list and revoke them; a link is used once,
// also when accepted twice at once; it expires; only the token's hash is stored. With open sign-up
// off, only a sign-up carrying a pending invitation creates an account.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ApiClient } from "./client";
import { useTestPool } from "./db";
import { uniqueId } from "./factories";
import { useTestServer } from "./server";

const server = useTestServer({ TANDEM_OPEN_SIGNUP: "false" });
const pool = useTestPool();
const PASSWORD = "correct horse battery";

type Invitation = { id: string; role: string; status: string; expiresAt: string; createdBy: string; acceptedBy: string | null };
type Created = { invitation: Invitation; token: string; url: string };

const email = (name: string) => `${name}-${uniqueId()}@example.test`;

/** Someone with an account (made directly, as open sign-up is off on this server) and signed in. */
async function member(name: string) {
  const client = new ApiClient(server.url);
  const address = email(name);
  // An owner's own invitation to a throwaway workspace lets the account be created through the gate.
  const { rows } = await pool.query<{ id: string }>(`INSERT INTO workspaces (name) VALUES ('bootstrap') RETURNING id`);
  const token = await insertInvitation(rows[0]!.id, "viewer");
  const up = await client.request("POST", "/api/auth/sign-up/email", {
    json: { email: address, name, password: PASSWORD },
    headers: { "x-tandem-invitation": token },
  });
  expect(up.status).toBe(200);
  expect((await client.request("POST", "/api/auth/sign-in/email", { json: { email: address, password: PASSWORD } })).status).toBe(200);
  const me = await client.get<{ user: { id: string } }>("/api/me");
  return { client, id: me.body.user.id, email: address };
}

async function insertInvitation(workspaceId: string, role: string, expiresAt = new Date(Date.now() + 86_400_000)): Promise<string> {
  const token = `${uniqueId()}${uniqueId()}${uniqueId()}${uniqueId()}abc`.padEnd(43, "x").slice(0, 43);
  const creator = await pool.query<{ id: string }>(`SELECT id FROM users LIMIT 1`);
  let createdBy = creator.rows[0]?.id;
  if (!createdBy) {
    createdBy = `seed-${uniqueId()}`;
    await pool.query(`INSERT INTO users (id, name, email) VALUES ($1, 'Seed', $2)`, [createdBy, email("seed")]);
  }
  await pool.query(`INSERT INTO invitations ("workspaceId", role, "tokenHash", "createdById", "expiresAt") VALUES ($1, $2, $3, $4, $5)`, [
    workspaceId,
    role,
    createHash("sha256").update(token).digest("hex"),
    createdBy,
    expiresAt,
  ]);
  return token;
}

async function ownerWithWorkspace() {
  const owner = await member("owner");
  const res = await owner.client.request<{ workspace: { id: string } }>("POST", "/api/workspaces", { json: { name: `Team ${uniqueId()}` } });
  expect(res.status).toBe(201);
  return { owner, workspaceId: res.body.workspace.id };
}

const invite = (client: ApiClient, workspaceId: string, json: unknown) =>
  client.request<Created>("POST", `/api/workspaces/${workspaceId}/invitations`, { json });

describe("making, listing and revoking invitations", () => {
  it("an owner makes a link (201 {token,url}); only its hash is stored; the list shows it pending", async () => {
    const { owner, workspaceId } = await ownerWithWorkspace();
    const res = await invite(owner.client, workspaceId, { role: "editor", expiresInDays: 3 });
    expect(res.status).toBe(201);
    expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.body.url).toBe(`${server.url}/invite/${res.body.token}`);
    expect(res.body.invitation).toMatchObject({ role: "editor", status: "pending" });
    const days = (new Date(res.body.invitation.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(2.99);
    expect(days).toBeLessThan(3.01);
    const { rows } = await pool.query(`SELECT "tokenHash" FROM invitations WHERE id = $1`, [res.body.invitation.id]);
    expect(rows[0].tokenHash).toBe(createHash("sha256").update(res.body.token).digest("hex"));
    expect(JSON.stringify(rows)).not.toContain(res.body.token);
    const list = await owner.client.get<{ invitations: Invitation[] }>(`/api/workspaces/${workspaceId}/invitations`);
    expect(list.body.invitations.map((i) => [i.id, i.status])).toEqual([[res.body.invitation.id, "pending"]]);
    expect(JSON.stringify(list.body)).not.toContain(res.body.token);
    const described = await new ApiClient(server.url).get<{ invitation: { workspaceName: string; role: string; status: string } }>(
      `/api/invitations/${res.body.token}`,
    );
    expect(described.status).toBe(200);
    expect(described.body.invitation).toMatchObject({ role: "editor", status: "pending" });
  });

  it("refuses strangers (404), non-owners (403), bad roles and days (422), signed-out callers (401)", async () => {
    const { owner, workspaceId } = await ownerWithWorkspace();
    const editor = await member("editor");
    await pool.query(`INSERT INTO memberships ("workspaceId", "userId", role) VALUES ($1, $2, 'editor')`, [workspaceId, editor.id]);
    const stranger = await member("stranger");
    expect((await invite(stranger.client, workspaceId, { role: "viewer" })).status).toBe(404);
    expect((await stranger.client.get(`/api/workspaces/${workspaceId}/invitations`)).status).toBe(404);
    expect((await invite(editor.client, workspaceId, { role: "viewer" })).status).toBe(403);
    expect((await editor.client.get(`/api/workspaces/${workspaceId}/invitations`)).status).toBe(403);
    for (const [json, field] of [
      [{}, "role"],
      [{ role: "admin" }, "role"],
      [{ role: "viewer", expiresInDays: 0 }, "expiresInDays"],
      [{ role: "viewer", expiresInDays: 31 }, "expiresInDays"],
      [{ role: "viewer", expiresInDays: 1.5 }, "expiresInDays"],
      [{ role: "viewer", expiresInDays: "7" }, "expiresInDays"],
    ] as const) {
      const res = await owner.client.request<{ fields: Record<string, string> }>("POST", `/api/workspaces/${workspaceId}/invitations`, { json });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.fields)).toEqual([field]);
    }
    const signedOut = new ApiClient(server.url);
    expect((await signedOut.request("POST", `/api/workspaces/${workspaceId}/invitations`, { json: { role: "viewer" } })).status).toBe(401);
    expect((await signedOut.get(`/api/workspaces/${workspaceId}/invitations`)).status).toBe(401);
    expect((await signedOut.request("DELETE", `/api/workspaces/${workspaceId}/invitations/00000000-0000-0000-0000-000000000000`)).status).toBe(401);
    expect((await editor.client.request("DELETE", `/api/workspaces/${workspaceId}/invitations/00000000-0000-0000-0000-000000000000`)).status).toBe(403);
    expect((await owner.client.request("DELETE", `/api/workspaces/${workspaceId}/invitations/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
    expect((await owner.client.request("DELETE", `/api/workspaces/${workspaceId}/invitations/nope`)).status).toBe(404);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM invitations WHERE "workspaceId" = $1`, [workspaceId]);
    expect(rows[0].n).toBe(0);
  });

  it("a revoked link cannot be used (410) and revoking another workspace's is a 404", async () => {
    const { owner, workspaceId } = await ownerWithWorkspace();
    const other = await ownerWithWorkspace();
    const { body } = await invite(owner.client, workspaceId, { role: "viewer" });
    expect((await other.owner.client.request("DELETE", `/api/workspaces/${other.workspaceId}/invitations/${body.invitation.id}`)).status).toBe(404);
    expect((await other.owner.client.request("DELETE", `/api/workspaces/${workspaceId}/invitations/${body.invitation.id}`)).status).toBe(404);
    expect((await owner.client.request("DELETE", `/api/workspaces/${workspaceId}/invitations/${body.invitation.id}`)).status).toBe(204);
    const joiner = await member("joiner");
    const accept = await joiner.client.request<{ message: string }>("POST", `/api/invitations/${body.token}/accept`);
    expect(accept.status).toBe(410);
    expect(accept.body.message).toMatch(/revoked/);
    const list = await owner.client.get<{ invitations: Invitation[] }>(`/api/workspaces/${workspaceId}/invitations`);
    expect(list.body.invitations[0]!.status).toBe("revoked");
  });
});

describe("accepting", () => {
  it("joins with the invitation's role; a second use is a 410; an already-member gets a 409 and the link stays unused", async () => {
    const { owner, workspaceId } = await ownerWithWorkspace();
    const { body } = await invite(owner.client, workspaceId, { role: "editor" });
    const joiner = await member("joiner");
    const accepted = await joiner.client.request<{ workspace: { id: string; role: string } }>("POST", `/api/invitations/${body.token}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.workspace).toMatchObject({ id: workspaceId, role: "editor" });
    const late = await member("late");
    const again = await late.client.request<{ message: string }>("POST", `/api/invitations/${body.token}/accept`);
    expect(again.status).toBe(410);
    expect(again.body.message).toMatch(/already been used/);

    const second = await invite(owner.client, workspaceId, { role: "viewer" });
    const mine = await joiner.client.request("POST", `/api/invitations/${second.body.token}/accept`);
    expect(mine.status).toBe(409);
    const { rows } = await pool.query(`SELECT role FROM memberships WHERE "workspaceId" = $1 AND "userId" = $2`, [workspaceId, joiner.id]);
    expect(rows).toEqual([{ role: "editor" }]);
    expect((await late.client.request("POST", `/api/invitations/${second.body.token}/accept`)).status).toBe(200);
  });

  it("one invitation accepted by two people at once gives exactly one membership", async () => {
    for (let round = 0; round < 5; round++) {
      const { owner, workspaceId } = await ownerWithWorkspace();
      const { body } = await invite(owner.client, workspaceId, { role: "viewer" });
      const [a, b] = await Promise.all([member("a"), member("b")]);
      const statuses = (await Promise.all([a, b].map((p) => p.client.request("POST", `/api/invitations/${body.token}/accept`)))).map((r) => r.status).sort();
      expect(statuses).toEqual([200, 410]);
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM memberships WHERE "workspaceId" = $1`, [workspaceId]);
      expect(rows[0].n).toBe(2);
    }
  });

  it("one person accepting one invitation twice at once joins once", async () => {
    const { owner, workspaceId } = await ownerWithWorkspace();
    const { body } = await invite(owner.client, workspaceId, { role: "viewer" });
    const joiner = await member("joiner");
    const statuses = (await Promise.all([1, 2, 3].map(() => joiner.client.request("POST", `/api/invitations/${body.token}/accept`))))
      .map((r) => r.status)
      .sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM memberships WHERE "workspaceId" = $1 AND "userId" = $2`, [workspaceId, joiner.id]);
    expect(rows[0].n).toBe(1);
  });

  it("two invitations to one workspace accepted at once by one person: one joins, the other is a 409 and stays unused", async () => {
    const { owner, workspaceId } = await ownerWithWorkspace();
    const first = await invite(owner.client, workspaceId, { role: "viewer" });
    const second = await invite(owner.client, workspaceId, { role: "editor" });
    const joiner = await member("joiner");
    const statuses = (await Promise.all([first, second].map((i) => joiner.client.request("POST", `/api/invitations/${i.body.token}/accept`))))
      .map((r) => r.status)
      .sort();
    expect(statuses).toEqual([200, 409]);
    const list = await owner.client.get<{ invitations: Invitation[] }>(`/api/workspaces/${workspaceId}/invitations`);
    expect(list.body.invitations.map((i) => i.status).sort()).toEqual(["accepted", "pending"]);
  });

  it("an expired link is a 410, an unknown or malformed one a 404, and accepting needs a session (401)", async () => {
    const { workspaceId } = await ownerWithWorkspace();
    const expired = await insertInvitation(workspaceId, "viewer", new Date(Date.now() - 1000));
    const joiner = await member("joiner");
    const res = await joiner.client.request<{ message: string }>("POST", `/api/invitations/${expired}/accept`);
    expect(res.status).toBe(410);
    expect(res.body.message).toMatch(/expired/);
    expect((await joiner.client.request("POST", `/api/invitations/${"x".repeat(43)}/accept`)).status).toBe(404);
    expect((await joiner.client.request("POST", `/api/invitations/short/accept`)).status).toBe(404);
    expect((await new ApiClient(server.url).get(`/api/invitations/short`)).status).toBe(404);
    expect((await new ApiClient(server.url).request("POST", `/api/invitations/${expired}/accept`)).status).toBe(401);
  });
});

describe("sign-up with open sign-up off", () => {
  it("the sign-in page is told sign-up is closed", async () => {
    expect((await new ApiClient(server.url).get("/api/setup")).body).toEqual({ isFirstRun: false, isOpenSignup: false });
  });

  it("is refused (403) without an invitation, with a used, expired or made-up one, and creates no account", async () => {
    const { owner, workspaceId } = await ownerWithWorkspace();
    const expired = await insertInvitation(workspaceId, "viewer", new Date(Date.now() - 1000));
    const { body } = await invite(owner.client, workspaceId, { role: "viewer" });
    const first = await member("first");
    expect((await first.client.request("POST", `/api/invitations/${body.token}/accept`)).status).toBe(200);
    for (const headers of [
      {},
      { "x-tandem-invitation": body.token },
      { "x-tandem-invitation": expired },
      { "x-tandem-invitation": "x".repeat(43) },
      { "x-tandem-internal-sign-up": "guess" },
    ] as Record<string, string>[]) {
      const address = email("refused");
      const res = await new ApiClient(server.url).request<{ message: string }>("POST", "/api/auth/sign-up/email", {
        json: { email: address, name: "Refused", password: PASSWORD },
        headers,
      });
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/invitation/);
      const { rows } = await pool.query(`SELECT 1 FROM users WHERE email = $1`, [address]);
      expect(rows).toEqual([]);
    }
  });

  it("goes through with a pending invitation, and the new account joins from the link", async () => {
    const { owner, workspaceId } = await ownerWithWorkspace();
    const { body } = await invite(owner.client, workspaceId, { role: "editor" });
    const client = new ApiClient(server.url);
    const address = email("invited");
    expect(
      (
        await client.request("POST", "/api/auth/sign-up/email", {
          json: { email: address, name: "Invited", password: PASSWORD },
          headers: { "x-tandem-invitation": body.token },
        })
      ).status,
    ).toBe(200);
    expect((await client.request("POST", "/api/auth/sign-in/email", { json: { email: address, password: PASSWORD } })).status).toBe(200);
    expect((await client.request("POST", `/api/invitations/${body.token}/accept`)).status).toBe(200);
    const list = await owner.client.get<{ members: { email: string; role: string }[] }>(`/api/workspaces/${workspaceId}/members`);
    expect(list.body.members.find((m) => m.email === address)?.role).toBe("editor");
  });
});
