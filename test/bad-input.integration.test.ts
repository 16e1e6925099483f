// Every input that can be wrong gets a clear 4xx and changes nothing; no request yields a 500.
import { beforeAll, describe, expect, it } from "vitest";
import type { RecordDto } from "@/lib/types";
import { ApiClient } from "./client";
import { useTestPool } from "./db";
import { countRevisions, createRecord, createWorkspace, type WorkspaceFixture } from "./factories";
import { useTestServer } from "./server";

const server = useTestServer();
let ws: WorkspaceFixture;
let other: WorkspaceFixture;
let record: RecordDto;
let etag: string;
const pool = useTestPool();

beforeAll(async () => {
  ws = await createWorkspace(server.url, pool);
  other = await createWorkspace(server.url, pool);
  ({ record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Target", stock: 1, category: "A" }));
});

type ErrorBody = { error: string; message: string; fields?: Record<string, string> };

async function expectUnchanged() {
  const now = await ws.members.owner.client.get<RecordDto>(`/api/records/${record.id}`);
  expect(now.body.version).toBe(1);
  expect(await countRevisions(pool, record.id)).toBe(1);
}

describe("access", () => {
  it("401 without a session, and for an expired one", async () => {
    const anonymous = new ApiClient(server.url);
    expect((await anonymous.get(`/api/records/${record.id}`)).status).toBe(401);
    expect((await anonymous.get(`/api/collections`)).status).toBe(401);
    // A member of its own, so expiring its sessions cannot touch the other tests' clients.
    const client = new ApiClient(server.url);
    const email = `expiring-${Date.now()}@example.test`;
    const { id } = await client.signUp(email, "Expiring");
    await pool.query(`INSERT INTO memberships ("workspaceId", "userId", role) VALUES ($1, $2, 'editor')`, [ws.workspaceId, id]);
    client.keepOnlySessionToken();
    expect((await client.get(`/api/records/${record.id}`)).status).toBe(200);
    await pool.query(`UPDATE sessions SET "expiresAt" = now() - interval '1 minute' WHERE "userId" = $1`, [id]);
    // Every server process hears of the change from the database (NOTIFY) within milliseconds.
    let expired = await client.get<ErrorBody>(`/api/records/${record.id}`);
    const deadline = Date.now() + 1000;
    while (expired.status !== 401 && Date.now() < deadline) expired = await client.get<ErrorBody>(`/api/records/${record.id}`);
    expect(expired.status).toBe(401);
    expect(expired.body.error).toBe("unauthenticated");
    expect(await new ApiClient(server.url).signIn(ws.members.editor.email, "wrong password")).toBe(401);
  });

  it("a viewer can read but not save, create, restore or delete (403)", async () => {
    const viewer = ws.members.viewer.client;
    expect((await viewer.get(`/api/records/${record.id}`)).status).toBe(200);
    const save = await viewer.request<ErrorBody>("PATCH", `/api/records/${record.id}`, { json: { values: { stock: 2 } }, headers: { "if-match": etag } });
    expect(save.status).toBe(403);
    expect(save.body.error).toBe("forbidden");
    expect((await viewer.request("POST", `/api/collections/${ws.collectionId}/records`, { json: { values: { name: "x" } } })).status).toBe(403);
    expect((await viewer.request("POST", `/api/records/${record.id}/restore`, { json: { version: 1 }, headers: { "if-match": etag } })).status).toBe(403);
    expect((await viewer.request("DELETE", `/api/records/${record.id}`, { headers: { "if-match": etag } })).status).toBe(403);
    await expectUnchanged();
  });

  it("a record or collection of another workspace is a 404, as is an unknown or malformed id", async () => {
    const outsider = other.members.owner.client;
    for (const path of [
      `/api/records/${record.id}`,
      `/api/records/${record.id}/revisions`,
      `/api/records/${record.id}/revisions/1`,
      `/api/collections/${ws.collectionId}`,
      `/api/collections/${ws.collectionId}/records`,
      `/api/records/00000000-0000-4000-8000-000000000000`,
      `/api/records/not-a-uuid`,
      `/api/records/1%27%20OR%201=1`,
    ]) {
      expect((await outsider.get(path)).status, path).toBe(404);
    }
    const save = await outsider.request("PATCH", `/api/records/${record.id}`, { json: { values: { stock: 5 } }, headers: { "if-match": etag } });
    expect(save.status).toBe(404);
    await expectUnchanged();
  });
});

describe("bad requests to PATCH", () => {
  const cases: { name: string; body?: string; headers?: Record<string, string>; status: number; error: string; field?: string }[] = [
    { name: "malformed JSON", body: `{"values": {"stock": 2`, status: 400, error: "bad_request" },
    { name: "a JSON array body", body: `[1,2]`, status: 400, error: "bad_request" },
    { name: "an empty body", body: ``, status: 400, error: "bad_request" },
    { name: "a non-JSON content type", body: `values=1`, headers: { "content-type": "text/plain" }, status: 415, error: "unsupported_media_type" },
    { name: "an unknown top-level key", body: `{"values":{"stock":2},"sneaky":true}`, status: 400, error: "bad_request" },
    { name: "an unknown field key", body: `{"values":{"colour":"red"}}`, status: 422, error: "invalid", field: "colour" },
    { name: "a wrong type", body: `{"values":{"stock":"many"}}`, status: 422, error: "invalid", field: "stock" },
    { name: "an unknown select option", body: `{"values":{"category":"Z"}}`, status: 422, error: "invalid", field: "category" },
    { name: "an unknown tag", body: `{"values":{"tags":["purple"]}}`, status: 422, error: "invalid", field: "tags" },
    { name: "an invalid date", body: `{"values":{"due":"2026-02-30"}}`, status: 422, error: "invalid", field: "due" },
    { name: "a number out of range", body: `{"values":{"stock":-1}}`, status: 422, error: "invalid", field: "stock" },
    { name: "a huge number", body: `{"values":{"stock":1e309}}`, status: 422, error: "invalid", field: "stock" },
    { name: "a string over the limit", body: JSON.stringify({ values: { name: "x".repeat(101) } }), status: 422, error: "invalid", field: "name" },
    { name: "a required field emptied", body: `{"values":{"name":null}}`, status: 422, error: "invalid", field: "name" },
    { name: "a user who is not a member", body: `{"values":{"owner":"someone-else"}}`, status: 422, error: "invalid", field: "owner" },
    { name: "an empty patch", body: `{"values":{}}`, status: 422, error: "invalid" },
    { name: "a body over 1 MB", body: JSON.stringify({ values: { notes: "x".repeat(1024 * 1024 + 10) } }), status: 413, error: "payload_too_large" },
  ];
  it.each(cases)("$name → $status", async ({ body, headers, status, error, field }) => {
    const res = await ws.members.editor.client.request<ErrorBody>("PATCH", `/api/records/${record.id}`, {
      rawBody: body,
      headers: { "content-type": "application/json", "if-match": etag, ...headers },
    });
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(error);
    expect(res.body.message).toBeTruthy();
    if (field) expect(res.body.fields?.[field]).toBeTruthy();
    await expectUnchanged();
  });

  const ifMatchCases = [
    { name: "missing", value: undefined, status: 428 },
    { name: "garbage", value: "garbage", status: 400 },
    { name: "weak", value: `W/${'"1-00000000"'}`, status: 400 },
    { name: "wildcard", value: "*", status: 400 },
    { name: "a list", value: `"1-a", "2-b"`, status: 400 },
    { name: "another record's token", value: `"1-ffffffff"`, status: 400 },
    { name: "a version the record never had", value: "future", status: 400 },
  ];
  it.each(ifMatchCases)("If-Match $name → $status", async ({ value, status }) => {
    const header = value === "future" ? etag.replace(/^"1-/, '"99-') : value;
    const res = await ws.members.editor.client.request<ErrorBody>("PATCH", `/api/records/${record.id}`, {
      json: { values: { stock: 7 } },
      headers: header === undefined ? {} : { "if-match": header },
    });
    expect(res.status).toBe(status);
    expect(res.body.message).toBeTruthy();
    await expectUnchanged();
  });

  it("bad query parameters are 400s, not 500s", async () => {
    const client = ws.members.editor.client;
    for (const query of [
      "limit=0",
      "limit=abc",
      "limit=100000",
      "cursor=%%%",
      "cursor=bm9wZQ",
      "cursor=WyJ4IiwiMDAwMDAwMDAtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMDAwIl0",
      "sort=nope",
      "dir=sideways",
      "filter.name2=x",
    ]) {
      const res = await client.get<ErrorBody>(`/api/collections/${ws.collectionId}/records?${query}`);
      expect(res.status, query).toBe(400);
    }
    for (const query of ["cursor=-1", "limit=0", "cursor=abc"]) {
      expect((await client.get(`/api/records/${record.id}/revisions?${query}`)).status, query).toBe(400);
    }
    expect((await client.get(`/api/records/${record.id}/revisions/abc`)).status).toBe(400);
    expect((await client.get(`/api/records/${record.id}/compare?from=1`)).status).toBe(400);
  });

  it("an unsupported method is a 405", async () => {
    const res = await ws.members.editor.client.request<ErrorBody>("PUT", `/api/records/${record.id}`, { json: { values: {} }, headers: { "if-match": etag } });
    expect(res.status).toBe(405);
    expect(res.body.error).toBe("method_not_allowed");
    await expectUnchanged();
  });

  it("a bad Idempotency-Key is refused", async () => {
    const res = await ws.members.editor.client.request<ErrorBody>("PATCH", `/api/records/${record.id}`, {
      json: { values: { stock: 3 } },
      headers: { "if-match": etag, "idempotency-key": "x".repeat(300) },
    });
    expect(res.status).toBe(400);
    await expectUnchanged();
  });
});
