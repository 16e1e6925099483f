// Input the database cannot keep, ranges PostgreSQL does not have, and races on one key: each is
// a 4xx with a clear JSON error and changes nothing, never a 500 (issue 9).
import { beforeAll, describe, expect, it } from "vitest";
import { CLIENT_EVENTS } from "@/lib/realtime";
import type { RecordDto } from "@/lib/types";
import { useTestPool } from "./db";
import { countRevisions, createRecord, createWorkspace, type WorkspaceFixture } from "./factories";
import { useTestServer } from "./server";
import { connected, connectSocket, emitAck } from "./socket-client";

const server = useTestServer();
const pool = useTestPool();
let ws: WorkspaceFixture;
let record: RecordDto;
let etag: string;

type ErrorBody = { error: string; message: string; field?: string; fields?: Record<string, string> };

beforeAll(async () => {
  ws = await createWorkspace(server.url, pool);
  ({ record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Target", stock: 1 }));
});

async function expectUnchanged() {
  const now = await ws.members.owner.client.get<RecordDto>(`/api/records/${record.id}`);
  expect(now.body.version).toBe(1);
  expect(await countRevisions(pool, record.id)).toBe(1);
}

const cursorOf = (value: unknown, id = "00000000-0000-4000-8000-000000000000") => Buffer.from(JSON.stringify([value, id])).toString("base64url");

describe("text PostgreSQL cannot store (S1, S2)", () => {
  it.each([
    ["NUL in a text value", `{"values":{"name":"a\\u0000b"}}`, "values.name"],
    ["a lone surrogate in a long text", `{"values":{"notes":"x\\ud800y"}}`, "values.notes"],
    ["NUL in a tag", `{"values":{"tags":["red\\u0000"]}}`, "values.tags[0]"],
    ["NUL in a field key", `{"values":{"na\\u0000me":"x"}}`, "values.<key>"],
    ["NUL in a merge choice", `{"values":{"name":"x"},"merge":{"theirsVersion":2,"choices":{"name":{"edit":"\\u0000"}}}}`, "merge.choices.name.edit"],
  ])("%s is a 400 naming where it is", async (_title, body, field) => {
    const res = await ws.members.editor.client.request<ErrorBody>("PATCH", `/api/records/${record.id}`, { rawBody: body, headers: { "if-match": etag } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: "bad_request", field });
    await expectUnchanged();
  });

  it("a create and a restore with such text are refused too", async () => {
    const create = await ws.members.editor.client.request<ErrorBody>("POST", `/api/collections/${ws.collectionId}/records`, {
      rawBody: `{"values":{"name":"\\ud83d"}}`,
    });
    expect(create.status).toBe(400);
    const restore = await ws.members.editor.client.request<ErrorBody>("POST", `/api/records/${record.id}/restore`, {
      rawBody: `{"version":1,"fields":["na\\u0000me"]}`,
      headers: { "if-match": etag },
    });
    expect(restore.status).toBe(400);
    await expectUnchanged();
  });

  it("S4 a body nested thousands of levels deep is a 400, not a stack overflow (a 500)", async () => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    const save = await ws.members.editor.client.request<ErrorBody>("PATCH", `/api/records/${record.id}`, {
      rawBody: `{"values":{"name":${deep}}}`,
      headers: { "if-match": etag },
    });
    expect(save.status).toBe(400);
    expect(save.body).toMatchObject({ error: "bad_request", message: expect.stringMatching(/64 levels/) });
    const create = await ws.members.editor.client.request<ErrorBody>("POST", `/api/collections/${ws.collectionId}/records`, {
      rawBody: `{"values":{"name":"x","tags":${deep}}}`,
    });
    expect(create.status).toBe(400);
    await expectUnchanged();
    const listed = await ws.members.viewer.client.get<{ records: RecordDto[] }>(`/api/collections/${ws.collectionId}/records`);
    expect(listed.body.records.map((r) => r.id)).toEqual([record.id]);
  });

  it("NUL in query parameters (q, filter.*, sort, field, author) is a 400 naming the parameter", async () => {
    const client = ws.members.viewer.client;
    for (const query of ["q=a%00b", "filter.category=A%00", "sort=na%00me", "filter.na%00me=x"]) {
      const res = await client.get<ErrorBody>(`/api/collections/${ws.collectionId}/records?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.message).toMatch(/Query parameter/);
    }
    for (const query of ["field=na%00me", "author=x%00"]) {
      expect((await client.get(`/api/records/${record.id}/revisions?${query}`)).status, query).toBe(400);
    }
  });
});

describe("numbers and ranges PostgreSQL does not have", () => {
  it("S3 a number a double cannot hold exactly (2^53 + 1) is refused, not rounded", async () => {
    const res = await ws.members.editor.client.request<ErrorBody>("PATCH", `/api/records/${record.id}`, {
      rawBody: `{"values":{"stock":9007199254740993}}`,
      headers: { "if-match": etag },
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: "invalid", fields: { stock: expect.stringContaining("9007199254740993") } });
    await expectUnchanged();
  });

  it("list cursors whose time JavaScript accepts but PostgreSQL rejects are 400s", async () => {
    for (const value of ["1", "2026-12", "+275760-09-13T00:00:00.000Z", "2026-02-30T00:00:00.000Z", "0000-01-01T00:00:00.000Z"]) {
      const res = await ws.members.viewer.client.get<ErrorBody>(`/api/collections/${ws.collectionId}/records?cursor=${cursorOf(value)}`);
      expect(res.status, value).toBe(400);
    }
    const field = await ws.members.viewer.client.get(`/api/collections/${ws.collectionId}/records?sort=name&cursor=${cursorOf("a\u0000")}`);
    expect(field.status).toBe(400);
  });

  it("revision cursors, versions and If-Match versions beyond int4 are 400s", async () => {
    const client = ws.members.editor.client;
    for (const query of ["cursor=2147483648", "cursor=1e10"]) {
      expect((await client.get(`/api/records/${record.id}/revisions?${query}`)).status, query).toBe(400);
    }
    expect((await client.get(`/api/records/${record.id}/revisions/2147483648`)).status).toBe(400);
    expect((await client.get(`/api/records/${record.id}/compare?from=1&to=1e10`)).status).toBe(400);
    const tag = etag.slice(etag.indexOf("-"));
    const res = await client.request<ErrorBody>("PATCH", `/api/records/${record.id}`, {
      json: { values: { stock: 2 } },
      headers: { "if-match": `"2147483648${tag}` },
    });
    expect(res.status).toBe(400);
    const restore = await client.request("POST", `/api/records/${record.id}/restore`, { json: { version: 2147483648 }, headers: { "if-match": etag } });
    expect(restore.status).toBe(400);
    await expectUnchanged();
  });
});

describe("one Idempotency-Key, many requests at once", () => {
  it("concurrent creates with one key all get the same answer, and one record exists", async () => {
    const key = `create-${Date.now()}`;
    const body = { values: { name: "Once only" } };
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        ws.members.editor.client.request<RecordDto>("POST", `/api/collections/${ws.collectionId}/records`, { json: body, headers: { "idempotency-key": key } }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get("idempotent-replayed") === "true")).toHaveLength(11);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM records WHERE "collectionId" = $1 AND "values" ->> 'name' = 'Once only'`, [
      ws.collectionId,
    ]);
    expect(rows[0].n).toBe(1);
  });
});

describe("restore metadata", () => {
  it("restore.fields is checked and stored once per field, not as sent", async () => {
    const { record: target, etag: tag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Meta", stock: 1 });
    const v2 = await ws.members.owner.client.request("PATCH", `/api/records/${target.id}`, { json: { values: { stock: 2 } }, headers: { "if-match": tag } });
    const unknown = await ws.members.owner.client.request("POST", `/api/records/${target.id}/restore`, {
      json: { version: 1, fields: ["stock", "x".repeat(60)] },
      headers: { "if-match": v2.headers.get("etag")! },
    });
    expect(unknown.status).toBe(400);
    const many = await ws.members.owner.client.request("POST", `/api/records/${target.id}/restore`, {
      json: { version: 1, fields: Array(500).fill("stock") },
      headers: { "if-match": v2.headers.get("etag")! },
    });
    expect(many.status).toBe(200);
    const { rows } = await pool.query(`SELECT meta FROM revisions WHERE "recordId" = $1 AND version = 3`, [target.id]);
    expect(rows[0].meta).toEqual({ restoredFrom: 1, fields: ["stock"] });
  });
});

describe("socket events named after object properties", () => {
  it("__proto__, constructor and toString get an ack refusing them, and the socket stays usable", async () => {
    const socket = connectSocket(server.url, ws.members.viewer.client);
    await connected(socket);
    for (const event of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      expect(await emitAck(socket, event, {}), event).toMatchObject({ ok: false, error: { code: "invalid" } });
    }
    expect(await emitAck(socket, CLIENT_EVENTS.watchRecord, { recordId: record.id })).toMatchObject({ ok: true });
  });
});
