// The collection editor's API: collections created by owners, the schema versioned like a record
// (If-Match, 428, 412 with the merge, Prefer: merge), removed fields kept and restorable, type
// changes previewed and converted through the writer or refused, the schema's history, and the live
// event open pages re-read the fields on.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { formatEtag } from "@/lib/etag";
import { CLIENT_EVENTS, SERVER_EVENTS, type CollectionSchemaEvent } from "@/lib/realtime";
import type { SchemaConflict } from "@/lib/schema";
import type { CollectionDto, FieldDef, RecordDto, RevisionDto } from "@/lib/types";
import { ApiClient } from "./client";
import { useTestPool } from "./db";
import { createRecord, createWorkspace, uniqueId, type WorkspaceFixture } from "./factories";
import { useTestServer } from "./server";
import { connected, connectSocket, emitAck, nextEvent } from "./socket-client";

// Two processes on one database with one auth secret (a session works on both), no Redis between them.
const SHARED = { BETTER_AUTH_SECRET: randomBytes(32).toString("hex") };
const server = useTestServer(SHARED);
const secondServer = useTestServer(SHARED);
const pool = useTestPool();
let ws: WorkspaceFixture;
let stranger: ApiClient;

const FIELDS: FieldDef[] = [
  { key: "name", label: "Name", type: "text", required: true },
  { key: "qty", label: "Quantity", type: "text" },
  { key: "size", label: "Size", type: "select", options: { choices: ["S", "M"] } },
];

type Schema = CollectionDto & { etag: string; removed: FieldDef[]; fields: FieldDef[] };

beforeAll(async () => {
  ws = await createWorkspace(server.url, pool);
  stranger = new ApiClient(server.url);
  await stranger.signUp(`stranger-${uniqueId()}@example.test`, "Stranger");
});

async function newCollection(fields = FIELDS): Promise<{ id: string; etag: string }> {
  const res = await ws.members.owner.client.request<Schema>("POST", `/api/workspaces/${ws.workspaceId}/collections`, {
    json: { name: `Things ${uniqueId()}`, fields },
  });
  expect(res.status).toBe(201);
  return { id: res.body.id, etag: res.headers.get("etag")! };
}

const patch = (client: ApiClient, id: string, etag: string | null, body: unknown, headers: Record<string, string> = {}, query = "") =>
  client.request<Schema & { merge?: { conflicts: SchemaConflict[] }; conflicts?: string[]; fields?: unknown; conversions?: unknown; current?: Schema }>(
    "PATCH",
    `/api/collections/${id}${query}`,
    { json: body, headers: { ...(etag ? { "if-match": etag } : {}), ...headers } },
  );

describe("creating a collection", () => {
  it("an owner creates one with fields: 201, ETag, and it is listed with its fields", async () => {
    const res = await ws.members.owner.client.request<Schema>("POST", `/api/workspaces/${ws.workspaceId}/collections`, {
      json: { name: "Parts", fields: FIELDS },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("etag")).toMatch(/^"1-/);
    expect(res.body).toMatchObject({ name: "Parts", version: 1, fields: FIELDS, removed: [] });
    const got = await ws.members.editor.client.get<CollectionDto>(`/api/collections/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body.fields.map((f) => f.key)).toEqual(["name", "qty", "size"]);
    expect(got.headers.get("etag")).toBe(res.headers.get("etag"));
  });

  it("refusals: 401 signed out, 404 stranger or bad id, 403 editor and viewer, 422 invalid fields (naming them), 400 malformed body", async () => {
    const url = `/api/workspaces/${ws.workspaceId}/collections`;
    const body = { json: { name: "X", fields: FIELDS } };
    expect((await new ApiClient(server.url).request("POST", url, body)).status).toBe(401);
    expect((await stranger.request("POST", url, body)).status).toBe(404);
    expect((await ws.members.owner.client.request("POST", `/api/workspaces/nope/collections`, body)).status).toBe(404);
    expect((await ws.members.editor.client.request("POST", url, body)).status).toBe(403);
    expect((await ws.members.viewer.client.request("POST", url, body)).status).toBe(403);
    const bad = await ws.members.owner.client.request<{ fields: Record<string, string> }>("POST", url, {
      json: {
        name: "X",
        fields: [
          { key: "size", label: "Size", type: "select", options: { choices: [] } },
          { key: "Bad key", label: "B", type: "text" },
        ],
      },
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.fields)).toEqual(expect.arrayContaining(["size.options.choices"]));
    expect((await ws.members.owner.client.request("POST", url, { json: { name: "", fields: [] } })).status).toBe(400);
    const limits = await ws.members.owner.client.request("POST", url, {
      json: { name: "L", fields: FIELDS, limits: [{ kind: "sum", field: "name", max: 3 }] },
    });
    expect(limits.status).toBe(422);
  });

  it("a collection limit can be declared with a number field, and it holds", async () => {
    const res = await ws.members.owner.client.request<Schema>("POST", `/api/workspaces/${ws.workspaceId}/collections`, {
      json: { name: "Seats", fields: [{ key: "seats", label: "Seats", type: "number" }], limits: [{ kind: "sum", field: "seats", max: 5 }] },
    });
    expect(res.status).toBe(201);
    await createRecord(ws.members.editor.client, res.body.id, { seats: 4 });
    const over = await ws.members.editor.client.request("POST", `/api/collections/${res.body.id}/records`, { json: { values: { seats: 2 } } });
    expect(over.status).toBe(409);
  });
});

describe("editing the schema", () => {
  it("add, relabel, reorder, options, required, bounds and the merge policy: one new version, a new ETag, history kept", async () => {
    const { id, etag } = await newCollection();
    const fields: FieldDef[] = [
      { key: "size", label: "Size", type: "select", options: { choices: ["S", "M", "L"] }, alwaysAsk: true },
      { key: "name", label: "Title", type: "text", required: true, options: { maxLength: 50 } },
      { key: "qty", label: "Quantity", type: "text" },
      { key: "weight", label: "Weight", type: "number", options: { min: 0, max: 100 } },
    ];
    const res = await patch(ws.members.owner.client, id, etag, { name: "Renamed", fields });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "Renamed", version: 2, fields });
    expect(res.headers.get("etag")).toMatch(/^"2-/);
    const versions = await ws.members.viewer.client.get<{ versions: { version: number; changes: unknown; author: { name: string } }[] }>(
      `/api/collections/${id}/versions`,
    );
    expect(versions.body.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions.body.versions[0]!.changes).toEqual({
      name: expect.any(Object),
      order: true,
      fields: { size: "changed", name: "changed", weight: "added" },
    });
    expect(versions.body.versions[0]!.author.name).toBe(ws.members.owner.name);
    const v1 = await ws.members.viewer.client.get<{ fields: FieldDef[] }>(`/api/collections/${id}/versions/1`);
    expect(v1.body.fields).toEqual(FIELDS);
    // The new rules apply to records at once.
    const tooHeavy = await ws.members.editor.client.request("POST", `/api/collections/${id}/records`, { json: { values: { name: "a", weight: 101 } } });
    expect(tooHeavy.status).toBe(422);
  });

  it("refusals: 428 without If-Match, 400 for a bad token, 403 editor, 404 stranger, 422 invalid, 412 stale; nothing written", async () => {
    const { id, etag } = await newCollection();
    const body = { name: "New name" };
    expect((await patch(ws.members.owner.client, id, null, body)).status).toBe(428);
    expect((await patch(ws.members.owner.client, id, '"1-00000000"', body)).status).toBe(400);
    expect((await patch(ws.members.owner.client, id, etag.replace('"1-', '"9-'), body)).status).toBe(400);
    expect((await patch(ws.members.editor.client, id, etag, body)).status).toBe(403);
    expect((await patch(ws.members.viewer.client, id, etag, body)).status).toBe(403);
    expect((await patch(stranger, id, etag, body)).status).toBe(404);
    expect((await patch(ws.members.owner.client, id, etag, { fields: [...FIELDS, { key: "qty", label: "Again", type: "text" }] })).status).toBe(422);
    expect((await patch(ws.members.owner.client, id, etag, { colour: "red" })).status).toBe(400);
    const version = await pool.query(`SELECT version FROM collections WHERE id = $1`, [id]);
    expect(version.rows[0].version).toBe(1);
  });

  it("two owners PATCH with the same token at once: one 200, one 412 with base, current and the conflicting parts", async () => {
    const { id, etag } = await newCollection();
    const second = new ApiClient(server.url);
    const { id: secondId } = await second.signUp(`owner2-${uniqueId()}@example.test`, "Second Owner");
    await pool.query(`INSERT INTO memberships ("workspaceId", "userId", role) VALUES ($1, $2, 'owner')`, [ws.workspaceId, secondId]);
    const mine = FIELDS.map((f) => (f.key === "qty" ? { ...f, label: "Amount" } : f));
    const theirs = FIELDS.map((f) => (f.key === "qty" ? { ...f, label: "Count" } : f));
    const answers = await Promise.all([patch(ws.members.owner.client, id, etag, { fields: mine }), patch(second, id, etag, { fields: theirs })]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
    const stale = answers.find((a) => a.status === 412)!;
    expect(stale.body.conflicts).toEqual(["qty"]);
    expect(stale.body.current!.version).toBe(2);
    expect((stale.body as unknown as { base: { version: number } }).base.version).toBe(1);
    expect(stale.body.merge!.conflicts[0]).toMatchObject({ part: "qty" });
    expect((await pool.query(`SELECT count(*)::int AS n FROM collection_versions WHERE "collectionId" = $1`, [id])).rows[0].n).toBe(2);
  });

  it("a stale edit of other fields merges with Prefer: merge; keep mine is a save with the current token", async () => {
    const { id, etag } = await newCollection();
    const first = await patch(ws.members.owner.client, id, etag, { fields: FIELDS.map((f) => (f.key === "name" ? { ...f, label: "Title" } : f)) });
    expect(first.status).toBe(200);
    const mine = FIELDS.map((f) => (f.key === "size" ? { ...f, required: true } : f));
    const refused = await patch(ws.members.owner.client, id, etag, { fields: mine });
    expect(refused.status).toBe(412);
    expect(refused.body.conflicts).toEqual([]);
    const merged = await patch(ws.members.owner.client, id, etag, { fields: mine }, { prefer: "merge" });
    expect(merged.status).toBe(200);
    expect(merged.headers.get("preference-applied")).toBe("merge");
    expect(merged.body.fields).toEqual([{ ...FIELDS[0], label: "Title" }, FIELDS[1], { ...FIELDS[2], required: true }]);
  });

  it("removing a field hides it and keeps its data in every revision; listing it again restores it with its values", async () => {
    const { id, etag } = await newCollection();
    const { record } = await createRecord(ws.members.editor.client, id, { name: "Bolt", qty: "12" });
    const removed = await patch(ws.members.owner.client, id, etag, { fields: FIELDS.filter((f) => f.key !== "qty") });
    expect(removed.status).toBe(200);
    expect(removed.body.removed).toEqual([FIELDS[1]]);
    expect((await ws.members.viewer.client.get<CollectionDto>(`/api/collections/${id}`)).body.fields.map((f) => f.key)).toEqual(["name", "size"]);
    const read = await ws.members.editor.client.get<RecordDto>(`/api/records/${record.id}`);
    expect(read.body.values.qty).toBe("12");
    const saved = await ws.members.editor.client.request<RecordDto>("PATCH", `/api/records/${record.id}`, {
      json: { values: { name: "Bolt M4" } },
      headers: { "if-match": read.headers.get("etag")! },
    });
    expect(saved.body.values.qty).toBe("12");
    const rev = await ws.members.viewer.client.get<RevisionDto>(`/api/records/${record.id}/revisions/2`);
    expect(rev.body.snapshot).toMatchObject({ qty: "12" });
    const restored = await patch(ws.members.owner.client, id, removed.headers.get("etag"), { fields: FIELDS });
    expect(restored.status).toBe(200);
    expect(restored.body.removed).toEqual([]);
    expect(
      (await ws.members.viewer.client.get<{ versions: { changes: { fields: Record<string, string> } }[] }>(`/api/collections/${id}/versions`)).body.versions[0]!
        .changes.fields,
    ).toEqual({ qty: "restored" });
    const retyped = await patch(ws.members.owner.client, id, restored.headers.get("etag"), { fields: FIELDS.filter((f) => f.key !== "qty") });
    const clash = await patch(ws.members.owner.client, id, retyped.headers.get("etag"), {
      fields: [...FIELDS.filter((f) => f.key !== "qty"), { key: "qty", label: "Q", type: "number" }],
    });
    expect(clash.status).toBe(422);
  });

  it("a type change: previewed without writing, then every value converted through the writer with a revision", async () => {
    const { id, etag } = await newCollection();
    const a = await createRecord(ws.members.editor.client, id, { name: "A", qty: " 12 " });
    const b = await createRecord(ws.members.editor.client, id, { name: "B", qty: "" });
    const toNumber = FIELDS.map((f) => (f.key === "qty" ? { key: "qty", label: "Quantity", type: "number" as const } : f));
    const preview = await patch(ws.members.owner.client, id, etag, { fields: toNumber }, {}, "?preview=true");
    expect(preview.status).toBe(200);
    expect(preview.body.conversions).toMatchObject({
      qty: {
        from: "text",
        to: "number",
        changes: 2,
        failureCount: 0,
        samples: expect.arrayContaining([{ recordId: a.record.id, from: " 12 ", to: 12, isDeleted: false }]),
      },
    });
    expect((await pool.query(`SELECT version FROM collections WHERE id = $1`, [id])).rows[0].version).toBe(1);
    const applied = await patch(ws.members.owner.client, id, etag, { fields: toNumber });
    expect(applied.status).toBe(200);
    expect(applied.body.conversions).toEqual({ converted: 2, skipped: [] });
    const read = await ws.members.viewer.client.get<RecordDto>(`/api/records/${a.record.id}`);
    expect(read.body.values.qty).toBe(12);
    expect(read.body.version).toBe(2);
    const history = await ws.members.viewer.client.get<{ revisions: RevisionDto[] }>(`/api/records/${a.record.id}/revisions`);
    expect(history.body.revisions[0]!.changes).toEqual({ qty: { from: " 12 ", to: 12 } });
    expect((await ws.members.viewer.client.get<RecordDto>(`/api/records/${b.record.id}`)).body.values.qty).toBeNull();
  });

  it("a type change converts records in the trash too (previewed as such), so an undelete never brings back an old-type value", async () => {
    const { id, etag } = await newCollection();
    const live = await createRecord(ws.members.editor.client, id, { name: "Live", qty: "3" });
    const trashed = await createRecord(ws.members.editor.client, id, { name: "Trashed", qty: " 12 " });
    const deleted = await ws.members.editor.client.request<RecordDto>("DELETE", `/api/records/${trashed.record.id}`, { headers: { "if-match": trashed.etag } });
    expect(deleted.status).toBe(200);
    const toNumber = FIELDS.map((f) => (f.key === "qty" ? { key: "qty", label: "Quantity", type: "number" as const } : f));
    const preview = await patch(ws.members.owner.client, id, etag, { fields: toNumber }, {}, "?preview=true");
    expect(preview.body.conversions).toMatchObject({
      qty: {
        changes: 2,
        failureCount: 0,
        inTrash: { changes: 1, failureCount: 0 },
        samples: expect.arrayContaining([
          { recordId: trashed.record.id, from: " 12 ", to: 12, isDeleted: true },
          { recordId: live.record.id, from: "3", to: 3, isDeleted: false },
        ]),
      },
    });
    const applied = await patch(ws.members.owner.client, id, etag, { fields: toNumber });
    expect(applied.status).toBe(200);
    expect(applied.body.conversions).toEqual({ converted: 2, skipped: [] });
    // Still in the trash, still saying who deleted it and when; its history names the conversion's author.
    const inTrash = await ws.members.viewer.client.get<{ records: RecordDto[] }>(`/api/collections/${id}/records?deleted=true`);
    expect(inTrash.body.records).toHaveLength(1);
    expect(inTrash.body.records[0]).toMatchObject({
      id: trashed.record.id,
      version: 3,
      values: { qty: 12 },
      updatedBy: { id: ws.members.editor.id },
      updatedAt: deleted.body.updatedAt,
      deletedAt: deleted.body.deletedAt,
    });
    const history = await ws.members.viewer.client.get<{ revisions: RevisionDto[] }>(`/api/records/${trashed.record.id}/revisions`);
    expect(history.body.revisions[0]).toMatchObject({
      version: 3,
      kind: "save",
      author: { id: ws.members.owner.id },
      changes: { qty: { from: " 12 ", to: 12 } },
    });
    // Undeleted with the version the trash lists, it comes back with a number.
    const back = await ws.members.editor.client.request<RecordDto>("POST", `/api/records/${trashed.record.id}/undelete`, {
      headers: { "if-match": formatEtag(trashed.record.id, inTrash.body.records[0]!.version) },
    });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ version: 4, deletedAt: null, values: { name: "Trashed", qty: 12 } });
  });

  it("a value in the trash that cannot be converted refuses the type change too, naming it as in the trash", async () => {
    const { id, etag } = await newCollection();
    await createRecord(ws.members.editor.client, id, { name: "Live", qty: "3" });
    const trashed = await createRecord(ws.members.editor.client, id, { name: "Trashed", qty: "lots" });
    expect((await ws.members.editor.client.request("DELETE", `/api/records/${trashed.record.id}`, { headers: { "if-match": trashed.etag } })).status).toBe(200);
    const toNumber = FIELDS.map((f) => (f.key === "qty" ? { key: "qty", label: "Quantity", type: "number" as const } : f));
    const preview = await patch(ws.members.owner.client, id, etag, { fields: toNumber }, {}, "?preview=true");
    expect(preview.body.conversions).toMatchObject({
      qty: { failureCount: 1, inTrash: { failureCount: 1 }, failures: [{ recordId: trashed.record.id, isDeleted: true }] },
    });
    const refused = await patch(ws.members.owner.client, id, etag, { fields: toNumber });
    expect(refused.status).toBe(422);
    expect((refused.body.fields as unknown as Record<string, string>).qty).toMatch(/^1 record\(s\) \(1 in the trash\)/);
    expect((await pool.query(`SELECT version FROM collections WHERE id = $1`, [id])).rows[0].version).toBe(1);
  });

  it("a type change some values cannot take, or one no value can, is refused with the reason and changes nothing", async () => {
    const { id, etag } = await newCollection([...FIELDS, { key: "who", label: "Who", type: "user" }]);
    await createRecord(ws.members.editor.client, id, { name: "A", qty: "lots" });
    const toNumber = [
      ...FIELDS.map((f) => (f.key === "qty" ? { key: "qty", label: "Quantity", type: "number" as const } : f)),
      { key: "who", label: "Who", type: "user" as const },
    ];
    const refused = await patch(ws.members.owner.client, id, etag, { fields: toNumber });
    expect(refused.status).toBe(422);
    expect((refused.body.fields as unknown as Record<string, string>).qty).toMatch(/1 record/);
    const never = await patch(ws.members.owner.client, id, etag, { fields: [...FIELDS, { key: "who", label: "Who", type: "text" }] });
    expect(never.status).toBe(422);
    expect((never.body.fields as unknown as Record<string, string>).who).toMatch(/person/);
    expect((await pool.query(`SELECT version FROM collections WHERE id = $1`, [id])).rows[0].version).toBe(1);
  });

  it("archive and unarchive", async () => {
    const { id, etag } = await newCollection();
    const archived = await patch(ws.members.owner.client, id, etag, { archived: true });
    expect(archived.status).toBe(200);
    expect((await ws.members.viewer.client.get<CollectionDto>(`/api/collections/${id}`)).body.archivedAt).not.toBeNull();
    const back = await patch(ws.members.owner.client, id, archived.headers.get("etag"), { archived: false });
    expect((await ws.members.viewer.client.get<CollectionDto>(`/api/collections/${id}`)).body.archivedAt).toBeNull();
    expect(back.status).toBe(200);
  });

  it("collection watchers (list and record pages) hear of a schema change", async () => {
    const { id, etag } = await newCollection();
    const socket = connectSocket(server.url, ws.members.viewer.client);
    await connected(socket);
    expect(await emitAck(socket, CLIENT_EVENTS.watchCollection, { collectionId: id })).toEqual({ ok: true });
    const heard = nextEvent<CollectionSchemaEvent>(socket, SERVER_EVENTS.collectionSchemaChanged);
    await patch(ws.members.owner.client, id, etag, { name: "Live" });
    expect(await heard).toMatchObject({ collectionId: id, version: 2, by: { id: ws.members.owner.id } });
  });

  it("another server process hears of it at once: its sockets are told and its saves use the new fields", async () => {
    const { id, etag } = await newCollection();
    const onB = new ApiClient(secondServer.url);
    onB.useCookies(ws.members.editor.client.cookieHeader);
    const { record, etag: recordEtag } = await createRecord(onB, id, { name: "Cached" });
    // B reads and writes the record, so it holds the record's shape.
    const first = await onB.request<RecordDto>("PATCH", `/api/records/${record.id}`, { json: { values: { qty: "1" } }, headers: { "if-match": recordEtag } });
    expect(first.status).toBe(200);
    const socket = connectSocket(secondServer.url, ws.members.viewer.client);
    await connected(socket);
    expect(await emitAck(socket, CLIENT_EVENTS.watchCollection, { collectionId: id })).toEqual({ ok: true });
    const heard = nextEvent<CollectionSchemaEvent>(socket, SERVER_EVENTS.collectionSchemaChanged);
    const added = await patch(ws.members.owner.client, id, etag, {
      fields: [...FIELDS.filter((f) => f.key !== "qty"), { key: "colour", label: "Colour", type: "text" }],
    });
    expect(added.status).toBe(200);
    expect(await heard).toMatchObject({ collectionId: id, version: 2 });
    const saved = await onB.request<RecordDto>("PATCH", `/api/records/${record.id}`, {
      json: { values: { colour: "red" } },
      headers: { "if-match": first.headers.get("etag")! },
    });
    expect(saved.status).toBe(200);
    const removed = await onB.request<{ fields: Record<string, string> }>("PATCH", `/api/records/${record.id}`, {
      json: { values: { qty: "2" } },
      headers: { "if-match": saved.headers.get("etag")! },
    });
    expect(removed.status).toBe(422);
    expect(removed.body.fields.qty).toBe("Unknown field");
  });
});
