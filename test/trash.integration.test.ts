// Delete, trash and undo of a delete (issue 12): the trash lists deleted records with who deleted
// them and when, their history stays readable, and undelete with the token the delete answered
// (or the trash lists) brings one back as a new version.
import { beforeAll, describe, expect, it } from "vitest";
import { formatEtag } from "@/lib/etag";
import type { RecordDto, RevisionDto } from "@/lib/types";
import { ApiClient } from "./client";
import { useTestPool } from "./db";
import { createRecord, createWorkspace, type WorkspaceFixture } from "./factories";
import { useTestServer } from "./server";

const server = useTestServer();
const pool = useTestPool();
let ws: WorkspaceFixture;

beforeAll(async () => {
  ws = await createWorkspace(server.url, pool);
});

type Page = { records: RecordDto[]; nextCursor: string | null };
const trash = (client: ApiClient, query = "") => client.get<Page>(`/api/collections/${ws.collectionId}/records?deleted=true${query}`);

async function deleted(name: string) {
  const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name });
  const res = await ws.members.editor.client.request<RecordDto>("DELETE", `/api/records/${record.id}`, { headers: { "if-match": etag } });
  expect(res.status).toBe(200);
  return { record: res.body, etag: res.headers.get("etag")! };
}

describe("GET /api/collections/:id/records?deleted=true", () => {
  it("lists deleted records only, with who deleted them and when; the live list no longer holds them", async () => {
    const gone = await deleted("Gone");
    const { record: live } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Live" });
    const list = await trash(ws.members.viewer.client, "&sort=updatedAt&dir=desc");
    expect(list.status).toBe(200);
    const row = list.body.records.find((r) => r.id === gone.record.id)!;
    expect(row.deletedAt).not.toBeNull();
    expect(row.updatedBy).toEqual({ id: ws.members.editor.id, name: ws.members.editor.name });
    expect(row.updatedAt).toBe(row.deletedAt);
    expect(list.body.records.map((r) => r.id)).not.toContain(live.id);
    const liveList = await ws.members.viewer.client.get<Page>(`/api/collections/${ws.collectionId}/records?limit=200`);
    expect(liveList.body.records.map((r) => r.id)).not.toContain(gone.record.id);
    expect(liveList.body.records.map((r) => r.id)).toContain(live.id);
  });

  it("pages through the trash, and refuses strangers (404), signed-out callers (401) and a bad flag (400)", async () => {
    for (const name of ["P1", "P2", "P3"]) await deleted(name);
    const first = await trash(ws.members.owner.client, "&limit=2&sort=updatedAt");
    expect(first.body.records).toHaveLength(2);
    expect(first.body.nextCursor).toBeTruthy();
    const second = await trash(ws.members.owner.client, `&limit=2&sort=updatedAt&cursor=${first.body.nextCursor}`);
    expect(second.body.records.map((r) => r.id)).not.toContain(first.body.records[0]!.id);
    const stranger = new ApiClient(server.url);
    await stranger.signUp(`stranger-${Date.now()}@example.test`, "Stranger");
    expect((await trash(stranger)).status).toBe(404);
    expect((await trash(new ApiClient(server.url))).status).toBe(401);
    expect((await ws.members.owner.client.get(`/api/collections/${ws.collectionId}/records?deleted=maybe`)).status).toBe(400);
  });

  it("a deleted record's history stays readable, and restoring an old version of it is a 410 until it is undeleted", async () => {
    const { record, etag } = await deleted("With history");
    const history = await ws.members.viewer.client.get<{ revisions: RevisionDto[] }>(`/api/records/${record.id}/revisions`);
    expect(history.status).toBe(200);
    expect(history.body.revisions.map((r) => r.kind)).toEqual(["delete", "create"]);
    const restore = await ws.members.owner.client.request("POST", `/api/records/${record.id}/restore`, { json: { version: 1 }, headers: { "if-match": etag } });
    expect(restore.status).toBe(410);
  });
});

describe("POST /api/records/:id/undelete", () => {
  it("brings the record back as a new version with the token the delete answered or the trash lists", async () => {
    const a = await deleted("Back A");
    const back = await ws.members.editor.client.request<RecordDto>("POST", `/api/records/${a.record.id}/undelete`, { headers: { "if-match": a.etag } });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ deletedAt: null, version: a.record.version + 1, values: { name: "Back A" } });
    expect((await trash(ws.members.owner.client, "&limit=200")).body.records.map((r) => r.id)).not.toContain(a.record.id);

    const b = await deleted("Back B");
    const listed = (await trash(ws.members.owner.client, "&limit=200")).body.records.find((r) => r.id === b.record.id)!;
    const fromTrash = await ws.members.owner.client.request("POST", `/api/records/${b.record.id}/undelete`, {
      headers: { "if-match": formatEtag(listed.id, listed.version) },
    });
    expect(fromTrash.status).toBe(200);
  });

  it("refuses: no If-Match (428), a viewer (403), a stranger (404), a live record (409), an older token (412); nothing changes", async () => {
    const { record, etag } = await deleted("Refusals");
    const url = `/api/records/${record.id}/undelete`;
    expect((await ws.members.owner.client.request("POST", url)).status).toBe(428);
    expect((await ws.members.viewer.client.request("POST", url, { headers: { "if-match": etag } })).status).toBe(403);
    const stranger = new ApiClient(server.url);
    await stranger.signUp(`stranger-u-${Date.now()}@example.test`, "Stranger");
    expect((await stranger.request("POST", url, { headers: { "if-match": etag } })).status).toBe(404);
    expect((await ws.members.owner.client.request("POST", url, { headers: { "if-match": formatEtag(record.id, record.version - 1) } })).status).toBe(412);
    const { rows } = await pool.query(`SELECT version, "deletedAt" FROM records WHERE id = $1`, [record.id]);
    expect(rows[0]).toMatchObject({ version: record.version });
    expect(rows[0].deletedAt).not.toBeNull();
    expect((await ws.members.owner.client.request("POST", url, { headers: { "if-match": etag } })).status).toBe(200);
    expect((await ws.members.owner.client.request("POST", url, { headers: { "if-match": formatEtag(record.id, record.version + 1) } })).status).toBe(409);
  });

  it("a delete with a stale token is refused (412) and deletes nothing", async () => {
    const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Stale delete" });
    const saved = await ws.members.editor.client.request("PATCH", `/api/records/${record.id}`, {
      json: { values: { name: "Changed" } },
      headers: { "if-match": etag },
    });
    expect(saved.status).toBe(200);
    expect((await ws.members.owner.client.request("DELETE", `/api/records/${record.id}`, { headers: { "if-match": etag } })).status).toBe(412);
    expect((await ws.members.owner.client.get(`/api/records/${record.id}`)).status).toBe(200);
  });
});
