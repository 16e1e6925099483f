// CSV import and the exports: the per-row report, preview writing nothing, only valid rows written
// (each with its create revision and outbox event), idempotency by key, jobs, mapping and new
// fields, refusals; CSV and JSON exports with the list's filters; a record's history as JSON.
import { beforeAll, describe, expect, it } from "vitest";
import type { RecordDto, RevisionDto } from "@/lib/types";
import { ApiClient } from "./client";
import { useTestPool } from "./db";
import { createRecord, createWorkspace, uniqueId, type WorkspaceFixture } from "./factories";
import { useTestServer } from "./server";

const server = useTestServer();
const pool = useTestPool();
let ws: WorkspaceFixture;
let stranger: ApiClient;

type Job = {
  id: string;
  status: string;
  created: number;
  failedCount: number;
  failed: { row: number; fields: Record<string, string> }[];
  total: number;
  processed: number;
};

beforeAll(async () => {
  ws = await createWorkspace(server.url, pool);
  stranger = new ApiClient(server.url);
  await stranger.signUp(`stranger-${uniqueId()}@example.test`, "Stranger");
});

async function newCollection(): Promise<string> {
  const res = await ws.members.owner.client.request<{ id: string }>("POST", `/api/workspaces/${ws.workspaceId}/collections`, {
    json: {
      name: `Stock ${uniqueId()}`,
      fields: [
        { key: "name", label: "Name", type: "text", required: true },
        { key: "stock", label: "In stock", type: "number", options: { integer: true, min: 0 } },
        { key: "tags", label: "Tags", type: "tags", options: { choices: ["red", "blue"] } },
        { key: "size", label: "Size", type: "select", options: { choices: ["S", "M"] } },
      ],
    },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

const importCsv = (client: ApiClient, id: string, csv: string, key: string | null, query = "", type = "text/csv") =>
  client.request<Job & { error?: string; fields?: Record<string, string>; valid?: number; columns?: unknown }>(
    "POST",
    `/api/collections/${id}/imports${query}`,
    {
      rawBody: csv,
      headers: { "content-type": type, ...(key ? { "idempotency-key": key } : {}) },
    },
  );

const count = async (id: string) => Number((await pool.query(`SELECT count(*) AS n FROM records WHERE "collectionId" = $1`, [id])).rows[0].n);

const CSV_WITH_BAD_ROW = `Name,In stock,Tags,Size\nLamp,3,red,S\n,5,,M\nDesk,-2,green,S\n"Chair, oak",7,red; blue,M\n`;

describe("import", () => {
  it("a bad row is reported by row and field; only the valid rows are written, each with its create revision and event", async () => {
    const id = await newCollection();
    const seqBefore = Number((await pool.query(`SELECT COALESCE(max(seq), 0) AS s FROM outbox`)).rows[0].s);
    const res = await importCsv(ws.members.editor.client, id, CSV_WITH_BAD_ROW, `k-${uniqueId()}`);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: "done", created: 2, failedCount: 2, total: 4 });
    expect(res.body.failed).toEqual([
      { row: 3, fields: { name: "Required" } },
      { row: 4, fields: { stock: expect.any(String), tags: expect.any(String) } },
    ]);
    const list = await ws.members.viewer.client.get<{ records: RecordDto[] }>(`/api/collections/${id}/records?sort=name&dir=asc`);
    expect(list.body.records.map((r) => r.values)).toEqual([
      { name: "Chair, oak", stock: 7, tags: ["red", "blue"], size: "M" },
      { name: "Lamp", stock: 3, tags: ["red"], size: "S" },
    ]);
    const history = await ws.members.viewer.client.get<{ revisions: RevisionDto[] }>(`/api/records/${list.body.records[0]!.id}/revisions`);
    expect(history.body.revisions.map((r) => r.kind)).toEqual(["create"]);
    const events = await pool.query(
      `SELECT count(*)::int AS n FROM outbox o JOIN revisions v ON v.id = o."revisionId" JOIN records r ON r.id = v."recordId" WHERE r."collectionId" = $1 AND o.seq > $2`,
      [id, seqBefore],
    );
    expect(events.rows[0].n).toBe(2);
    const job = await ws.members.editor.client.get<Job>(`/api/imports/${res.body.id}`);
    expect(job.body).toMatchObject({ status: "done", created: 2, failedCount: 2, processed: 4, total: 4 });
    expect((await ws.members.owner.client.get(`/api/imports/${res.body.id}`)).status).toBe(404);
  });

  it("an import not done in time answers 202 with its job, which shows progress and ends done", async () => {
    const id = await newCollection();
    const csv = `Name,In stock\n${Array.from({ length: 3000 }, (_, i) => `Item ${i},${i}`).join("\n")}\n`;
    const res = await importCsv(ws.members.editor.client, id, csv, `k-${uniqueId()}`, "?wait=0");
    expect(res.status).toBe(202);
    expect(res.headers.get("location")).toBe(`/api/imports/${res.body.id}`);
    expect(res.body).toMatchObject({ status: "running", total: 3000 });
    let job = res.body as Job;
    for (let i = 0; i < 200 && job.status === "running"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = (await ws.members.editor.client.get<Job>(`/api/imports/${res.body.id}`)).body;
      expect(job.processed).toBeLessThanOrEqual(3000);
    }
    expect(job).toMatchObject({ status: "done", created: 3000, processed: 3000, failedCount: 0 });
    expect(await count(id)).toBe(3000);
  });

  it("preview validates every row and writes nothing (no key needed)", async () => {
    const id = await newCollection();
    const res = await importCsv(ws.members.editor.client, id, CSV_WITH_BAD_ROW, null, "?preview=true");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "preview", total: 4, valid: 2, failedCount: 2 });
    expect(res.body.failed.map((f) => f.row)).toEqual([3, 4]);
    expect(await count(id)).toBe(0);
    expect((await pool.query(`SELECT count(*)::int AS n FROM imports WHERE "collectionId" = $1`, [id])).rows[0].n).toBe(0);
  });

  it("the same key and file again creates nothing new; the same key with another file is a 422", async () => {
    const id = await newCollection();
    const key = `k-${uniqueId()}`;
    const first = await importCsv(ws.members.editor.client, id, CSV_WITH_BAD_ROW, key);
    const again = await importCsv(ws.members.editor.client, id, CSV_WITH_BAD_ROW, key);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.id).toBe(first.body.id);
    expect(await count(id)).toBe(2);
    const other = await importCsv(ws.members.editor.client, id, "Name\nOther\n", key);
    expect(other.status).toBe(422);
    expect(await count(id)).toBe(2);
    const twins = await Promise.all([1, 2].map(() => importCsv(ws.members.editor.client, id, "Name\nTwin\n", `twin-${key}`)));
    expect(twins.map((t) => t.body.id)[0]).toBe(twins[1]!.body.id);
    expect((await pool.query(`SELECT count(*)::int AS n FROM records WHERE "collectionId" = $1 AND "values"->>'name' = 'Twin'`, [id])).rows[0].n).toBe(1);
  });

  it("columns map by an explicit mapping, unknown ones are ignored or become new fields (owners only)", async () => {
    const id = await newCollection();
    const csv = "Item,Colour,Ignored\nLamp,teal,x\n";
    const unmapped = await importCsv(ws.members.owner.client, id, csv, `k-${uniqueId()}`);
    expect(unmapped.status).toBe(422);
    expect(Object.keys(unmapped.body.fields!)).toEqual(["Item", "Colour", "Ignored"]);
    const mapping = encodeURIComponent(JSON.stringify({ Item: "name", Ignored: null }));
    expect((await importCsv(ws.members.editor.client, id, csv, `k-${uniqueId()}`, `?mapping=${mapping}&createFields=true`)).status).toBe(403);
    const res = await importCsv(ws.members.owner.client, id, csv, `k-${uniqueId()}`, `?mapping=${mapping}&createFields=true`);
    expect(res.status).toBe(201);
    expect(res.body.created).toBe(1);
    const collection = await ws.members.viewer.client.get<{ fields: { key: string; label: string }[] }>(`/api/collections/${id}`);
    expect(collection.body.fields.map((f) => f.key)).toEqual(["name", "stock", "tags", "size", "colour"]);
    const list = await ws.members.viewer.client.get<{ records: RecordDto[] }>(`/api/collections/${id}/records`);
    expect(list.body.records[0]!.values).toMatchObject({ name: "Lamp", colour: "teal" });
  });

  it("refusals: 401, 404 stranger, 403 viewer, 415 not CSV, 400 no key or bad mapping, 422 empty file; nothing written", async () => {
    const id = await newCollection();
    expect((await importCsv(new ApiClient(server.url), id, "Name\nA\n", "k")).status).toBe(401);
    expect((await importCsv(stranger, id, "Name\nA\n", "k")).status).toBe(404);
    expect((await importCsv(ws.members.viewer.client, id, "Name\nA\n", "k")).status).toBe(403);
    expect((await importCsv(ws.members.editor.client, id, "Name\nA\n", "k", "", "application/json")).status).toBe(415);
    expect((await importCsv(ws.members.editor.client, id, "Name\nA\n", null)).status).toBe(400);
    expect((await importCsv(ws.members.editor.client, id, "Name\nA\n", `k-${uniqueId()}`, "?mapping=nope")).status).toBe(400);
    expect((await importCsv(ws.members.editor.client, id, "", `k-${uniqueId()}`)).status).toBe(422);
    expect((await importCsv(ws.members.editor.client, id, 'Name\n"unclosed\n', `k-${uniqueId()}`)).status).toBe(422);
    expect(await count(id)).toBe(0);
  });
});

describe("export", () => {
  it("CSV and JSON carry the live records, respecting search and filters; an export reads back by import", async () => {
    const id = await newCollection();
    await importCsv(ws.members.editor.client, id, `Name,In stock,Tags,Size\nLamp,3,red,S\n"Chair, ""oak""",7,red; blue,M\nDesk,1,,M\n`, `k-${uniqueId()}`);
    const csv = await ws.members.viewer.client.get<string>(`/api/collections/${id}/export?format=csv&filter.size=M&sort=name&dir=asc`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("content-disposition")).toMatch(/attachment/);
    expect(csv.body).toBe(`Name,In stock,Tags,Size\n"Chair, ""oak""",7,red; blue,M\nDesk,1,,M\n`);
    const json = await ws.members.viewer.client.get<{ records: RecordDto[]; collection: { id: string } }>(`/api/collections/${id}/export?format=json&q=Lamp`);
    expect(json.status).toBe(200);
    expect(json.body.collection.id).toBe(id);
    expect(json.body.records.map((r) => r.values)).toEqual([{ name: "Lamp", stock: 3, tags: ["red"], size: "S" }]);
    const copy = await newCollection();
    const back = await importCsv(ws.members.editor.client, copy, csv.body, `k-${uniqueId()}`);
    expect(back.body).toMatchObject({ created: 2, failedCount: 0 });
  });

  it("refusals: 401, 404 stranger, 400 unknown format or filter", async () => {
    const id = await newCollection();
    expect((await new ApiClient(server.url).get(`/api/collections/${id}/export`)).status).toBe(401);
    expect((await stranger.get(`/api/collections/${id}/export`)).status).toBe(404);
    expect((await ws.members.viewer.client.get(`/api/collections/${id}/export?format=xml`)).status).toBe(400);
    expect((await ws.members.viewer.client.get(`/api/collections/${id}/export?filter.stock=1`)).status).toBe(400);
  });

  it("a record's history exports as JSON with every revision and its snapshot", async () => {
    const { record, etag } = await createRecord(ws.members.editor.client, ws.collectionId, { name: "Hist", stock: 1 });
    await ws.members.editor.client.request("PATCH", `/api/records/${record.id}`, { json: { values: { stock: 2 } }, headers: { "if-match": etag } });
    const res = await ws.members.viewer.client.get<{ record: { id: string }; revisions: RevisionDto[] }>(`/api/records/${record.id}/history/export`);
    expect(res.status).toBe(200);
    expect(res.body.record.id).toBe(record.id);
    expect(res.body.revisions.map((r) => [r.version, r.kind, r.snapshot?.stock])).toEqual([
      [1, "create", 1],
      [2, "save", 2],
    ]);
    expect((await stranger.get(`/api/records/${record.id}/history/export`)).status).toBe(404);
  });
});
