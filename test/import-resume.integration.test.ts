// An import whose process is killed mid-job: its lease runs out, GET /api/imports/:id says it was
// interrupted (with how far it got), and the same file with the same Idempotency-Key, sent to
// another process, takes it over and goes on after the rows written, creating none twice, in one
// go (a batch per 500 rows) or one by one (a collection with limits).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "./client";
import { useTestPool } from "./db";
import { createWorkspace, uniqueId, type WorkspaceFixture } from "./factories";
import { startTestServer, useTestServer, type TestServer } from "./server";
import { eventually } from "./socket-client";

const SHARED = { BETTER_AUTH_SECRET: randomBytes(32).toString("hex"), TANDEM_IMPORT_LEASE_MS: "1500" };
const CRASH = "crash-here";
const survivor = useTestServer(SHARED);
const pool = useTestPool();
let ws: WorkspaceFixture;
const doomed: TestServer[] = [];

type Job = {
  id: string;
  status: string;
  total: number;
  processed: number;
  created: number;
  failedCount: number;
  failed: { row: number; fields: Record<string, string> }[];
  error: string | null;
  attempts: number;
  key: string;
  options: { mapping?: Record<string, string | null> };
};

beforeAll(async () => {
  ws = await createWorkspace(survivor.url, pool);
});
afterAll(async () => {
  for (const server of doomed) await server.stop();
});

/** A server that kills itself right after committing the write that holds the crash value. */
async function doomedServer(): Promise<TestServer> {
  const server = await startTestServer({ ...SHARED, TANDEM_TEST_CRASH_ON_VALUE: CRASH });
  doomed.push(server);
  return server;
}

async function newCollection(withLimit: boolean): Promise<string> {
  const res = await ws.members.owner.client.request<{ id: string }>("POST", `/api/workspaces/${ws.workspaceId}/collections`, {
    json: {
      name: `Resume ${uniqueId()}`,
      fields: [
        { key: "name", label: "Name", type: "text", required: true },
        { key: "seats", label: "Seats", type: "counter", options: { min: 0 } },
        { key: "tag", label: "Tag", type: "text" },
      ],
      ...(withLimit ? { limits: [{ kind: "sum", field: "seats", max: 1_000_000 }] } : {}),
    },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

/**
 * `rows` data rows "Item n,1,ok"; the names at `invalid` are empty (refused); the rows in `crash`
 * (data rows, inclusive) are tagged with the crash value, so the write that holds them is the last
 * one the doomed process commits (a batch tells its last record, whichever that is).
 */
function csv(rows: number, invalid: number[], crash: [number, number] = [0, -1]): string {
  let text = "Label,Seats,Tag\n";
  for (let i = 1; i <= rows; i++) text += `${invalid.includes(i) ? "" : `Item ${i}`},1,${i >= crash[0] && i <= crash[1] ? CRASH : "ok"}\n`;
  return text;
}

function send(url: string, client: ApiClient, collectionId: string, body: string, key: string) {
  const api = new ApiClient(url);
  api.useCookies(client.cookieHeader);
  // `mapping`: the label column fills the name field; it is part of what the key is bound to.
  const mapping = encodeURIComponent(JSON.stringify({ Label: "name" }));
  return api.request<Job>("POST", `/api/collections/${collectionId}/imports?mapping=${mapping}&wait=0`, {
    rawBody: body,
    headers: { "content-type": "text/csv", "idempotency-key": key },
  });
}

async function exited(server: TestServer, timeoutMs = 20_000): Promise<void> {
  if (server.process.exitCode !== null || server.process.signalCode !== null) return;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the doomed server did not stop within ${timeoutMs} ms:\n${server.output().slice(-2000)}`)), timeoutMs);
    server.process.once("exit", () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
}

const counts = async (collectionId: string) =>
  (
    await pool.query<{ n: number; names: number; seats: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT "values" ->> 'name')::int AS names, COALESCE(sum(("values" ->> 'seats')::int), 0)::int AS seats
       FROM records WHERE "collectionId" = $1`,
      [collectionId],
    )
  ).rows[0]!;

async function interruptedJob(collectionId: string, body: string, key: string): Promise<Job> {
  const server = await doomedServer();
  const owner = ws.members.owner.client;
  // The answer may or may not come before the process dies: the job is found by its key either way.
  const answer = await send(server.url, owner, collectionId, body, key).catch(() => null);
  if (answer) expect([201, 202]).toContain(answer.status);
  await exited(server);
  const list = await owner.get<{ imports: Job[] }>(`/api/collections/${collectionId}/imports`);
  expect(list.status).toBe(200);
  const job = list.body.imports.find((j) => j.key === key)!;
  expect(job).toBeDefined();
  let seen: Job | undefined;
  await eventually(async () => {
    seen = (await owner.get<Job>(`/api/imports/${job.id}`)).body;
    expect(seen.status).toBe("interrupted");
  }, 10_000);
  return seen!;
}

describe("an import whose process died", () => {
  it("is interrupted where its last batch left it, and the same file and key go on from there, creating nothing twice", { timeout: 90_000 }, async () => {
    const collectionId = await newCollection(false);
    // Invalid rows at 10 and 700 (data rows): the second batch of 500 valid rows ends at data row 1002.
    const body = csv(1500, [10, 700, 1200], [502, 1002]);
    const key = `resume-${uniqueId()}`;
    const job = await interruptedJob(collectionId, body, key);
    expect(job).toMatchObject({ total: 1500, processed: 1002, created: 1000, failedCount: 2, attempts: 1, options: { mapping: { Label: "name" } } });
    expect(job.failed.map((f) => f.row)).toEqual([11, 701]);
    expect(job.error).toMatch(/interrupted after 1,002 of 1,500 rows/);
    expect((await counts(collectionId)).n).toBe(1000);

    // Another file with that key is refused, and the job stays as it was.
    expect((await send(survivor.url, ws.members.owner.client, collectionId, csv(3, []), key)).status).toBe(422);

    const resumed = await send(survivor.url, ws.members.owner.client, collectionId, body, key);
    expect([201, 202]).toContain(resumed.status);
    expect(resumed.body).toMatchObject({ id: job.id, attempts: 2 });
    let done: Job | undefined;
    await eventually(async () => {
      done = (await ws.members.owner.client.get<Job>(`/api/imports/${job.id}`)).body;
      expect(done.status).toBe("done");
    }, 15_000);
    expect(done).toMatchObject({ processed: 1500, created: 1497, failedCount: 3, error: null });
    expect(done!.failed.map((f) => f.row)).toEqual([11, 701, 1201]);
    expect(await counts(collectionId)).toEqual({ n: 1497, names: 1497, seats: 1497 });
    // Every record has its create revision, once.
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM revisions v JOIN records r ON r.id = v."recordId" WHERE r."collectionId" = $1 AND v.kind = 'create'`,
      [collectionId],
    );
    expect(rows[0].n).toBe(1497);

    // Done, the same key and file replay the answer and write nothing.
    const again = await send(survivor.url, ws.members.owner.client, collectionId, body, key);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect((await counts(collectionId)).n).toBe(1497);
  });

  it("one by one (a collection with limits): resumed after the last row its process wrote, and the total still matches", { timeout: 90_000 }, async () => {
    const collectionId = await newCollection(true);
    const body = csv(120, [5], [40, 40]);
    const key = `resume-${uniqueId()}`;
    const job = await interruptedJob(collectionId, body, key);
    // Each row's create stores the checkpoint through that row: the crash came right after data row 40.
    expect(job).toMatchObject({ processed: 40, created: 39, failedCount: 1 });
    expect((await counts(collectionId)).n).toBe(39);

    const resumed = await send(survivor.url, ws.members.owner.client, collectionId, body, key);
    expect([201, 202]).toContain(resumed.status);
    await eventually(async () => {
      expect((await ws.members.owner.client.get<Job>(`/api/imports/${job.id}`)).body).toMatchObject({ status: "done", created: 119, failedCount: 1 });
    }, 15_000);
    expect(await counts(collectionId)).toEqual({ n: 119, names: 119, seats: 119 });
    const total = await pool.query(`SELECT used::int AS used FROM collection_totals WHERE "collectionId" = $1`, [collectionId]);
    expect(total.rows[0].used).toBe(119);
  });

  it("a running import, its lease alive, is not taken over: the same key and file answer 202 with the job, which ends once", async () => {
    const collectionId = await newCollection(false);
    const key = `running-${uniqueId()}`;
    const body = csv(6000, []);
    const first = await send(survivor.url, ws.members.owner.client, collectionId, body, key);
    const second = await send(survivor.url, ws.members.owner.client, collectionId, body, key);
    expect(second.body).toMatchObject({ id: first.body.id, attempts: 1 });
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    if (second.body.status === "running") expect(second.status).toBe(202);
    await eventually(async () => {
      expect((await ws.members.owner.client.get<Job>(`/api/imports/${first.body.id}`)).body).toMatchObject({ status: "done", created: 6000, attempts: 1 });
    }, 20_000);
    expect((await counts(collectionId)).n).toBe(6000);
    // Someone else's import is none of their business: 404; the list shows only one's own; strangers get 404.
    expect((await ws.members.editor.client.get(`/api/imports/${first.body.id}`)).status).toBe(404);
    expect((await ws.members.editor.client.get<{ imports: Job[] }>(`/api/collections/${collectionId}/imports`)).body.imports).toEqual([]);
    expect((await ws.members.owner.client.get<{ imports: Job[] }>(`/api/collections/${collectionId}/imports`)).body.imports.map((j) => j.id)).toEqual([
      first.body.id,
    ]);
    const stranger = new ApiClient(survivor.url);
    await stranger.signUp(`stranger-${uniqueId()}@example.test`, "Stranger");
    expect((await stranger.get(`/api/collections/${collectionId}/imports`)).status).toBe(404);
    expect((await new ApiClient(survivor.url).get(`/api/collections/${collectionId}/imports`)).status).toBe(401);
  });
});
