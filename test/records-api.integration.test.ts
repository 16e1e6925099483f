// The record API as DESIGN.md states it: reads with ETags, saves, history, restore, delete, access.
import { beforeAll, describe, expect, it } from "vitest";
import type { StaleBody } from "@/lib/errors";
import type { RecordDto, RevisionDto } from "@/lib/types";
import { useTestPool } from "./db";
import { countRevisions, createRecord, createWorkspace, type WorkspaceFixture } from "./factories";
import { useTestServer } from "./server";

const server = useTestServer();
let ws: WorkspaceFixture;
const pool = useTestPool();

beforeAll(async () => {
  ws = await createWorkspace(server.url, pool);
});

const patch = (etag: string, values: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  json: { values, ...extra },
  headers: { "if-match": etag },
});

describe("reading and saving", () => {
  it("GET returns the record with a strong ETag; PATCH with it saves, bumps the version and writes one revision", async () => {
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Lamp", stock: 3, tags: ["red"] });
    const editor = ws.members.editor.client;
    const read = await editor.get<RecordDto>(`/api/records/${record.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: record.id, collectionId: ws.collectionId, version: 1, values: { name: "Lamp", stock: 3 } });
    const etag = read.headers.get("etag")!;
    expect(etag).toMatch(/^"[^"]+"$/);
    const saved = await editor.request<RecordDto>("PATCH", `/api/records/${record.id}`, patch(etag, { stock: 4 }));
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(2);
    expect(saved.body.values).toMatchObject({ name: "Lamp", stock: 4, tags: ["red"] });
    expect(saved.body.updatedBy).toEqual({ id: ws.members.editor.id, name: ws.members.editor.name });
    expect(saved.headers.get("etag")).not.toBe(etag);
    const history = await editor.get<{ revisions: RevisionDto[] }>(`/api/records/${record.id}/revisions`);
    expect(history.body.revisions.map((r) => [r.version, r.kind])).toEqual([
      [2, "save"],
      [1, "create"],
    ]);
    expect(history.body.revisions[0]!.changes).toEqual({ stock: { from: 3, to: 4 } });
    expect(history.body.revisions[0]!.author.name).toBe(ws.members.editor.name);
  });

  it("a stale save is refused with 412, the current record, the base and the conflicting fields; nothing is written", async () => {
    const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Desk", stock: 10, category: "A" });
    const owner = ws.members.owner.client;
    expect((await owner.request("PATCH", `/api/records/${record.id}`, patch(etag, { stock: 9, category: "B" }))).status).toBe(200);
    const stale = await ws.members.editor.client.request<StaleBody>("PATCH", `/api/records/${record.id}`, patch(etag, { stock: 8, name: "Desk XL" }));
    expect(stale.status).toBe(412);
    expect(stale.body.error).toBe("stale");
    expect(stale.body.current.version).toBe(2);
    expect(stale.body.current.values).toMatchObject({ stock: 9, category: "B", name: "Desk" });
    expect(stale.body.base).toMatchObject({ version: 1, values: { stock: 10, name: "Desk" } });
    expect(stale.body.conflicts).toEqual(["stock"]);
    expect(stale.headers.get("etag")).toBeTruthy();
    expect(await countRevisions(pool, record.id)).toBe(2);
  });

  it("a merged save records how each field was resolved, based on which version and over which (H6)", async () => {
    const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Shelf", stock: 1 });
    await ws.members.owner.client.request("PATCH", `/api/records/${record.id}`, patch(etag, { stock: 2 }));
    // The editor's edit started from v1; the dialog showed theirs at v2 and the editor kept mine.
    const merged = await ws.members.editor.client.request<RecordDto>("PATCH", `/api/records/${record.id}`, {
      json: { values: { stock: 5 }, merge: { theirsVersion: 2, choices: { stock: "mine" } } },
      headers: { "if-match": etag, prefer: "merge" },
    });
    expect(merged.status).toBe(200);
    expect(merged.headers.get("preference-applied")).toBe("merge");
    const revision = await ws.members.editor.client.get<RevisionDto>(`/api/records/${record.id}/revisions/3`);
    expect(revision.body.kind).toBe("merge");
    expect(revision.body.meta).toEqual({ baseVersion: 1, overrodeVersion: 2, fields: { stock: "mine" } });
    expect(revision.body.snapshot).toMatchObject({ stock: 5, name: "Shelf" });
  });

  it("HTML and SQL in text are stored verbatim", async () => {
    const text = `<script>alert(1)</script>'); DROP TABLE records; --`;
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: text.slice(0, 90), notes: text });
    const read = await ws.members.viewer.client.get<RecordDto>(`/api/records/${record.id}`);
    expect(read.body.values.notes).toBe(text);
    expect(read.headers.get("content-type")).toContain("application/json");
  });
});

describe("history, compare, restore and delete", () => {
  it("lists revisions newest first with keyset pagination, reads one, compares any two", async () => {
    const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "v1", stock: 1 });
    let tag = etag;
    for (let i = 2; i <= 5; i++) {
      const res = await ws.members.owner.client.request("PATCH", `/api/records/${record.id}`, patch(tag, { name: `v${i}`, stock: i }));
      tag = res.headers.get("etag")!;
    }
    const client = ws.members.viewer.client;
    const page1 = await client.get<{ revisions: RevisionDto[]; nextCursor: string }>(`/api/records/${record.id}/revisions?limit=2`);
    expect(page1.body.revisions.map((r) => r.version)).toEqual([5, 4]);
    const page2 = await client.get<{ revisions: RevisionDto[]; nextCursor: string | null }>(
      `/api/records/${record.id}/revisions?limit=2&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body.revisions.map((r) => r.version)).toEqual([3, 2]);
    const last = await client.get<{ revisions: RevisionDto[]; nextCursor: string | null }>(
      `/api/records/${record.id}/revisions?limit=2&cursor=${page2.body.nextCursor}`,
    );
    expect(last.body.revisions.map((r) => r.version)).toEqual([1]);
    expect(last.body.nextCursor).toBeNull();
    const v2 = await client.get<RevisionDto>(`/api/records/${record.id}/revisions/2`);
    expect(v2.body.snapshot).toMatchObject({ name: "v2", stock: 2 });
    const compared = await client.get<{ changes: Record<string, unknown> }>(`/api/records/${record.id}/compare?from=1&to=4`);
    expect(compared.body.changes).toEqual({ name: { from: "v1", to: "v4" }, stock: { from: 1, to: 4 } });
    expect((await client.get(`/api/records/${record.id}/revisions/99`)).status).toBe(404);
  });

  it("restores a whole version, or a single field, as a new version with If-Match", async () => {
    const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Old", stock: 1, category: "A" });
    const owner = ws.members.owner.client;
    const v2 = await owner.request("PATCH", `/api/records/${record.id}`, patch(etag, { name: "New", stock: 2, category: "B" }));
    const noToken = await owner.request("POST", `/api/records/${record.id}/restore`, { json: { version: 1 } });
    expect(noToken.status).toBe(428);
    const single = await owner.request<RecordDto>("POST", `/api/records/${record.id}/restore`, {
      json: { version: 1, fields: ["stock"] },
      headers: { "if-match": v2.headers.get("etag")! },
    });
    expect(single.status).toBe(200);
    expect(single.body.values).toMatchObject({ name: "New", stock: 1, category: "B" });
    const whole = await owner.request<RecordDto>("POST", `/api/records/${record.id}/restore`, {
      json: { version: 1 },
      headers: { "if-match": single.headers.get("etag")! },
    });
    expect(whole.body.values).toMatchObject({ name: "Old", stock: 1, category: "A" });
    expect(whole.body.version).toBe(4);
    const restoredRevision = await owner.get<RevisionDto>(`/api/records/${record.id}/revisions/4`);
    expect(restoredRevision.body).toMatchObject({ kind: "restore", meta: { restoredFrom: 1 } });
    const staleRestore = await owner.request("POST", `/api/records/${record.id}/restore`, {
      json: { version: 2 },
      headers: { "if-match": v2.headers.get("etag")! },
    });
    expect(staleRestore.status).toBe(412);
  });

  it("soft-deletes with If-Match: the record is gone from reads and lists, its history stays", async () => {
    const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Doomed" });
    const owner = ws.members.owner.client;
    expect((await owner.request("DELETE", `/api/records/${record.id}`)).status).toBe(428);
    const deleted = await owner.request<RecordDto>("DELETE", `/api/records/${record.id}`, { headers: { "if-match": etag } });
    expect(deleted.status).toBe(200);
    expect(deleted.body.deletedAt).not.toBeNull();
    expect((await owner.get(`/api/records/${record.id}`)).status).toBe(410);
    const list = await owner.get<{ records: RecordDto[] }>(`/api/collections/${ws.collectionId}/records?limit=200`);
    expect(list.body.records.map((r) => r.id)).not.toContain(record.id);
    const history = await owner.get<{ revisions: RevisionDto[] }>(`/api/records/${record.id}/revisions`);
    expect(history.body.revisions[0]!.kind).toBe("delete");
    const afterDelete = await owner.request<{ error: string }>("PATCH", `/api/records/${record.id}`, patch(deleted.headers.get("etag")!, { name: "x" }));
    expect(afterDelete.status).toBe(410);
  });
});

describe("collections", () => {
  it("lists the caller's collections with record counts, and pages records newest first", async () => {
    const fresh = await createWorkspace(server.url, pool);
    const owner = fresh.members.owner.client;
    for (let i = 0; i < 5; i++) await createRecord(owner, fresh.collectionId, { name: `Item ${i}`, category: i % 2 ? "A" : "B" });
    const collections = await owner.get<{ collections: { id: string; recordCount: number; role: string }[] }>("/api/collections");
    expect(collections.body.collections).toEqual([expect.objectContaining({ id: fresh.collectionId, recordCount: 5, role: "owner" })]);
    const first = await owner.get<{ records: RecordDto[]; nextCursor: string }>(`/api/collections/${fresh.collectionId}/records?limit=3`);
    expect(first.body.records.map((r) => r.values.name)).toEqual(["Item 4", "Item 3", "Item 2"]);
    const second = await owner.get<{ records: RecordDto[]; nextCursor: string | null }>(
      `/api/collections/${fresh.collectionId}/records?limit=3&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.records.map((r) => r.values.name)).toEqual(["Item 1", "Item 0"]);
    expect(second.body.nextCursor).toBeNull();
    const filtered = await owner.get<{ records: RecordDto[] }>(`/api/collections/${fresh.collectionId}/records?filter.category=A&sort=name&dir=asc`);
    expect(filtered.body.records.map((r) => r.values.name)).toEqual(["Item 1", "Item 3"]);
    const created = await owner.request("POST", `/api/collections/${fresh.collectionId}/records`, { json: { values: { name: "Located" } } });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toMatch(/^\/api\/records\/[0-9a-f-]{36}$/);
    expect(created.headers.get("etag")).toBeTruthy();
  });
});
