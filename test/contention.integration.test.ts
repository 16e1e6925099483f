// Contention, caused on purpose through the API, and counted: N stale saves on one field, M
// auto-merges (Prefer: merge), K limit refusals, one real serialization failure (40001) and one
// real lock wait; the Prometheus metrics rise by exactly those numbers, the per-minute rollups in
// PostgreSQL hold the same counts (added to by two processes), and only the token opens /api/metrics.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FieldDef } from "@/lib/types";
import { formatEtag } from "@/lib/etag";
import { pruneRollups } from "@/server/metrics/rollups";
import { ApiClient } from "./client";
import { getTestDatabaseUrl, useTestPool } from "./db";
import { createRecord, createWorkspace, type WorkspaceFixture } from "./factories";
import { startTestServer, type TestServer } from "./server";

const TOKEN = "metrics-token-for-tests-0123456789";
const FIELDS: FieldDef[] = [
  { key: "name", label: "Name", type: "text", required: true },
  { key: "price", label: "Price", type: "number" },
  { key: "count", label: "Count", type: "counter" },
  { key: "stock", label: "Stock", type: "counter", options: { min: 0 } },
];
const N = 5;
const M = 20;
const K = 3;

const pool = useTestPool({ max: 4 });
// Every connection of this server runs at REPEATABLE READ, so a row changed under a waiting write
// is a real serialization failure (40001) that the writer retries; a row only locked is a lock wait.
let server: TestServer;
// A second process over the same database, metrics endpoint off: its counts add to the same rollups.
let other: TestServer;
let ws: WorkspaceFixture;

function withOptions(url: string): string {
  const u = new URL(url);
  u.searchParams.set("options", "-c default_transaction_isolation=repeatable\\ read");
  return u.toString();
}

beforeAll(async () => {
  // One secret for both, so a session signed in on one is good on the other.
  const BETTER_AUTH_SECRET = randomBytes(32).toString("hex");
  [server, other] = await Promise.all([
    startTestServer({ DATABASE_URL: withOptions(getTestDatabaseUrl()), TANDEM_METRICS_TOKEN: TOKEN, TANDEM_CONTENTION_FLUSH_MS: "50", BETTER_AUTH_SECRET }),
    startTestServer({ TANDEM_CONTENTION_FLUSH_MS: "50", BETTER_AUTH_SECRET }),
  ]);
  ws = await createWorkspace(server.url, pool, FIELDS);
}, 120_000);

afterAll(async () => {
  await Promise.all([server?.stop(), other?.stop()]);
});

type Samples = Map<string, number>;

async function scrape(): Promise<Samples> {
  const res = await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/plain");
  const samples: Samples = new Map();
  for (const line of (await res.text()).split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

const value = (samples: Samples, name: string, labels: Record<string, string> = {}) => {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let sum = 0;
  for (const [key, n] of samples) {
    const brace = key.indexOf("{");
    const metric = brace === -1 ? key : key.slice(0, brace);
    if (metric !== name) continue;
    if (wanted.every((pair) => key.includes(pair))) sum += n;
  }
  return sum;
};

const rise = (before: Samples, after: Samples, name: string, labels: Record<string, string> = {}) => value(after, name, labels) - value(before, name, labels);

async function until<T>(read: () => Promise<T>, isDone: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const got = await read();
    if (isDone(got)) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(got)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Holds a transaction on the record's row (locked, or changed) until the server's write waits for it. */
async function underLock(recordId: string, how: "lock" | "update", write: () => Promise<Response | { status: number }>, holdMs = 0) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(how === "lock" ? `SELECT 1 FROM records WHERE id = $1 FOR UPDATE` : `UPDATE records SET "updatedAt" = "updatedAt" WHERE id = $1`, [
      recordId,
    ]);
    const { rows } = await client.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`);
    const pending = write();
    await until(
      async () =>
        (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1::int = ANY (pg_blocking_pids(pid))`, [rows[0]!.pid]))
          .rows[0]!.n,
      (n) => n === 1,
      "the server's write to wait for the row lock",
    );
    const blockedAt = performance.now();
    if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));
    await client.query("COMMIT");
    const heldMs = performance.now() - blockedAt;
    return { response: await pending, heldMs };
  } finally {
    client.release();
  }
}

const patch = (who: "owner" | "editor", id: string, body: unknown, headers: Record<string, string> = {}) =>
  ws.members[who].client.request<{ version: number }>("PATCH", `/api/records/${id}`, { json: body, headers });

describe("metrics rise by exactly the contention caused", () => {
  let before: Samples;
  let after: Samples;
  const ids = { price: "", count: "", stock: "", retry: "", lock: "" };
  let heldMs = 0;

  beforeAll(async () => {
    const price = await createRecord(ws.members.owner.client, ws.collectionId, { name: "USB-C cable", price: 10 });
    const count = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Acme", count: 0 });
    const stock = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Seats", stock: 2 });
    const retry = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Retried", count: 0 });
    const lock = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Locked", count: 0 });
    Object.assign(ids, { price: price.record.id, count: count.record.id, stock: stock.record.id, retry: retry.record.id, lock: lock.record.id });
    before = await scrape();

    // N stale saves of Price: the owner moved it on to 11, the editor's copy still says 10 and types 9.
    expect((await patch("owner", ids.price, { values: { price: 11 } }, { "if-match": price.etag })).status).toBe(200);
    for (let i = 0; i < N; i++) expect((await patch("editor", ids.price, { values: { price: 9 } }, { "if-match": price.etag })).status).toBe(412);

    // M auto-merges of Count: the owner adds one, the editor's +1 against the version before merges (M5).
    let etag = count.etag;
    for (let i = 0; i < M; i++) {
      expect((await patch("owner", ids.count, { ops: { count: { add: 1 } } })).status).toBe(200);
      const merged = await patch("editor", ids.count, { ops: { count: { add: 1 } } }, { "if-match": etag, prefer: "merge" });
      expect(merged.status).toBe(200);
      expect(merged.headers.get("preference-applied")).toBe("merge");
      etag = merged.headers.get("etag")!;
    }

    // K refusals of Stock's lower bound.
    for (let i = 0; i < K; i++) expect((await patch("editor", ids.stock, { ops: { stock: { add: -5 } } })).status).toBe(409);

    // One real 40001: the row changes under the waiting write, which is retried and saves.
    const retried = await underLock(ids.retry, "update", () => patch("editor", ids.retry, { ops: { count: { add: 1 } } }));
    expect(retried.response.status).toBe(200);

    // One real lock wait of at least 300 ms.
    const waited = await underLock(ids.lock, "lock", () => patch("editor", ids.lock, { ops: { count: { add: 1 } } }), 300);
    expect(waited.response.status).toBe(200);
    heldMs = waited.heldMs;
    after = await scrape();
  }, 120_000);

  it("saves by outcome and collection", () => {
    const collection = ws.collectionId;
    expect(rise(before, after, "tandem_saves_total", { outcome: "stale", collection })).toBe(N);
    expect(rise(before, after, "tandem_saves_total", { outcome: "merged_server", collection })).toBe(M);
    expect(rise(before, after, "tandem_saves_total", { outcome: "limit", collection })).toBe(K);
    // the owner's 1 + M saves, the retried one and the one that waited
    expect(rise(before, after, "tandem_saves_total", { outcome: "saved", collection })).toBe(1 + M + 2);
    expect(rise(before, after, "tandem_save_duration_seconds_count")).toBe(N + M + K + 1 + M + 2);
  });

  it("conflicts by field, auto-merges by rule, limit refusals by limit", () => {
    expect(rise(before, after, "tandem_conflicts_total", { collection: ws.collectionId, field: "price" })).toBe(N);
    expect(rise(before, after, "tandem_conflicts_total")).toBe(N);
    expect(rise(before, after, "tandem_auto_merges_total", { rule: "counter" })).toBe(M);
    expect(rise(before, after, "tandem_auto_merges_total")).toBe(M);
    expect(rise(before, after, "tandem_limit_refusals_total", { collection: ws.collectionId, limit: "stock" })).toBe(K);
  });

  it("one serialization failure retried, none exhausted", () => {
    expect(rise(before, after, "tandem_transaction_retries_total", { sqlstate: "40001" })).toBe(1);
    expect(rise(before, after, "tandem_transaction_retries_total")).toBe(1);
    expect(rise(before, after, "tandem_transaction_retries_exhausted_total")).toBe(0);
  });

  it("the lock wait is measured inside the write: one write waited at least as long as the lock was held", () => {
    expect(heldMs).toBeGreaterThanOrEqual(300);
    const slow = rise(before, after, "tandem_lock_wait_seconds_count") - rise(before, after, "tandem_lock_wait_seconds_bucket", { le: "0.25" });
    expect(slow).toBe(1);
    expect(rise(before, after, "tandem_lock_wait_seconds_sum")).toBeGreaterThanOrEqual(heldMs / 1000 - 0.001);
  });

  it("requests by route pattern and status class, never by path", () => {
    expect(rise(before, after, "tandem_http_requests_total", { route: "/api/records/:id", method: "PATCH", status: "4xx" })).toBe(N + K);
    expect(rise(before, after, "tandem_http_requests_total", { route: "/api/records/:id", method: "PATCH", status: "2xx" })).toBe(1 + 2 * M + 2);
    expect([...after.keys()].some((key) => key.includes(ids.price))).toBe(false);
    expect(value(after, "tandem_process_cpu_seconds_total")).toBeGreaterThan(0);
  });

  it("the rollups hold the same counts, and a second process's saves add to them", async () => {
    // The editor, through the other process, saves Price once more from version 1: stale too.
    const elsewhere = new ApiClient(other.url);
    elsewhere.useCookies(ws.members.editor.client.cookieHeader);
    const stale = await elsewhere.request("PATCH", `/api/records/${ids.price}`, {
      json: { values: { price: 9 } },
      headers: { "if-match": formatEtag(ids.price, 1) },
    });
    expect(stale.status).toBe(412);

    type Sum = { field: string; saves: number; refused: number; autoMerged: number; limited: number; retries: number; lockWaits: number; unitChanges: number };
    const sums = async (recordId: string) =>
      (
        await pool.query<Sum>(
          `SELECT field, sum(saves)::int AS saves, sum(refused)::int AS refused, sum("autoMerged")::int AS "autoMerged", sum(limited)::int AS limited,
                  sum(retries)::int AS retries, sum("lockWaits")::int AS "lockWaits", sum("unitChanges")::int AS "unitChanges"
           FROM contention_rollups WHERE "recordId" = $1 GROUP BY field ORDER BY field`,
          [recordId],
        )
      ).rows;
    const extra = 1;
    const price = await until(
      () => sums(ids.price),
      (rows) => rows.find((r) => r.field === "price")?.refused === N + extra,
      "Price's refusals in the rollups",
    );
    expect(price.find((r) => r.field === "")).toMatchObject({ saves: 1 + N + extra, refused: N + extra, autoMerged: 0 });
    expect(price.find((r) => r.field === "price")).toMatchObject({ saves: 1 + N + extra, refused: N + extra, unitChanges: 1 + N + extra });
    const count = await until(
      () => sums(ids.count),
      (rows) => rows.find((r) => r.field === "count")?.autoMerged === M,
      "Count's merges",
    );
    expect(count.find((r) => r.field === "")).toMatchObject({ saves: 2 * M, refused: 0, autoMerged: M });
    const stock = await until(
      () => sums(ids.stock),
      (rows) => rows.find((r) => r.field === "stock")?.limited === K,
      "Stock's refusals",
    );
    expect(stock.find((r) => r.field === "")).toMatchObject({ limited: K });
    const retry = await until(
      () => sums(ids.retry),
      (rows) => rows.find((r) => r.field === "")?.retries === 1,
      "the retry",
    );
    expect(retry.find((r) => r.field === "")).toMatchObject({ saves: 1, retries: 1 });
  });

  it("the owners' contention page data names the hot record and field, and advises", async () => {
    const res = await ws.members.owner.client.request<{
      hour: { saves: number; refused: number; autoMerged: number; limited: number; retries: number; series: unknown[] };
      hotRecords: { recordId: string; name: string }[];
      hotFields: { recordId: string; field: string; fieldLabel: string; refused: number }[];
      advice: { kind: string; field: string; text: string; etag?: string }[];
    }>("GET", `/api/workspaces/${ws.workspaceId}/contention`);
    expect(res.status).toBe(200);
    expect(res.body.hour.series).toHaveLength(60);
    expect(res.body.hour.autoMerged).toBe(M);
    expect(res.body.hour.limited).toBe(K);
    expect(res.body.hour.retries).toBe(1);
    expect(res.body.hotRecords[0]).toMatchObject({ recordId: ids.count, name: "Acme" });
    expect(res.body.hotFields.find((h) => h.field === "price")).toMatchObject({ recordId: ids.price, fieldLabel: "Price" });
    const kinds = res.body.advice.map((a) => `${a.kind}:${a.field}`);
    expect(kinds).toEqual(expect.arrayContaining(["operations:price", "always_ask:count", "limit:Stock"]));
    expect(res.body.advice.find((a) => a.kind === "always_ask")?.etag).toMatch(/^"\d+-/);
  });
});

describe("retention", () => {
  it("rows older than the retention period are pruned, newer ones kept", async () => {
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Old" });
    const insert = (age: string) =>
      pool.query(
        `INSERT INTO contention_rollups ("workspaceId", "collectionId", "recordId", field, minute, saves, latency)
         VALUES ($1, $2, $3, '', date_trunc('minute', now() - $4::interval), 1, '{}')`,
        [ws.workspaceId, ws.collectionId, record.id, age],
      );
    await insert("15 days");
    await insert("13 days");
    expect(await pruneRollups(pool, 14)).toBe(1);
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM contention_rollups WHERE "recordId" = $1`, [record.id]);
    expect(rows[0]!.n).toBe(1);
  });
});

describe("who may see", () => {
  it("GET /api/metrics refuses anonymous callers and a wrong token, and is off without a token", async () => {
    const anonymous = await fetch(`${server.url}/api/metrics`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain("tandem_saves_total");
    const wrong = await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}x` } });
    expect(wrong.status).toBe(401);
    const short = await fetch(`${server.url}/api/metrics`, { headers: { authorization: "Bearer x" } });
    expect(short.status).toBe(401);
    // a signed-in owner is not an operator
    const owner = await ws.members.owner.client.request("GET", "/api/metrics");
    expect(owner.status).toBe(401);
    const off = await fetch(`${other.url}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(off.status).toBe(404);
  });

  it("the contention data: members who are not owners get 403, strangers 404", async () => {
    expect((await ws.members.editor.client.request("GET", `/api/workspaces/${ws.workspaceId}/contention`)).status).toBe(403);
    expect((await ws.members.viewer.client.request("GET", `/api/workspaces/${ws.workspaceId}/contention`)).status).toBe(403);
    const strangers = await createWorkspace(server.url, pool, FIELDS);
    expect((await strangers.members.owner.client.request("GET", `/api/workspaces/${ws.workspaceId}/contention`)).status).toBe(404);
    expect((await strangers.members.owner.client.request("GET", `/api/workspaces/not-a-uuid/contention`)).status).toBe(404);
  });
});

describe("the merge dialog's outcome and the merge policy", () => {
  it("a valid outcome is counted by outcome; a bad one is refused and counts nothing", async () => {
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Dialog" });
    const before = await scrape();
    const post = (who: "editor" | "viewer", body: unknown) => ws.members[who].client.request("POST", `/api/records/${record.id}/merge-outcome`, { json: body });
    expect((await post("editor", { outcome: "theirs", ms: 4200 })).status).toBe(204);
    expect((await post("editor", { outcome: "steal", ms: 1 })).status).toBe(400);
    expect((await post("editor", { outcome: "mine", ms: -1 })).status).toBe(400);
    expect((await post("editor", { outcome: "mine", ms: 1, extra: 1 })).status).toBe(400);
    expect((await post("viewer", { outcome: "mine", ms: 1 })).status).toBe(403);
    const after = await scrape();
    expect(rise(before, after, "tandem_merge_dialog_total", { outcome: "theirs", collection: ws.collectionId })).toBe(1);
    expect(rise(before, after, "tandem_merge_dialog_total")).toBe(1);
    expect(rise(before, after, "tandem_merge_dialog_seconds_sum")).toBeCloseTo(4.2);
  });

  it("always ask is set by an owner with the collection's ETag, as a new schema version; without it 428, with an old one 412, editors 403", async () => {
    const res = await ws.members.owner.client.request<{ advice: { kind: string; field: string; collectionId: string; etag: string }[] }>(
      "GET",
      `/api/workspaces/${ws.workspaceId}/contention`,
    );
    const offer = res.body.advice.find((a) => a.kind === "always_ask")!;
    const url = `/api/collections/${offer.collectionId}/fields/${offer.field}/merge-policy`;
    expect((await ws.members.editor.client.request("PUT", url, { json: { alwaysAsk: true }, headers: { "if-match": offer.etag } })).status).toBe(403);
    expect((await ws.members.owner.client.request("PUT", url, { json: { alwaysAsk: true } })).status).toBe(428);
    expect((await ws.members.owner.client.request("PUT", url, { json: { alwaysAsk: "yes" }, headers: { "if-match": offer.etag } })).status).toBe(400);
    const set = await ws.members.owner.client.request<{ fields: FieldDef[] }>("PUT", url, { json: { alwaysAsk: true }, headers: { "if-match": offer.etag } });
    expect(set.status).toBe(200);
    expect(set.body.fields.find((f) => f.key === "count")?.alwaysAsk).toBe(true);
    expect((await ws.members.owner.client.request("PUT", url, { json: { alwaysAsk: false }, headers: { "if-match": offer.etag } })).status).toBe(412);
    expect(
      (
        await ws.members.owner.client.request("PUT", `/api/collections/${offer.collectionId}/fields/nope/merge-policy`, {
          json: { alwaysAsk: true },
          headers: { "if-match": set.headers.get("etag")! },
        })
      ).status,
    ).toBe(404);
    const { rows } = await pool.query<{ fields: FieldDef[]; version: number }>(`SELECT fields, version FROM collections WHERE id = $1`, [offer.collectionId]);
    expect(rows[0]!.fields.find((f) => f.key === "count")?.alwaysAsk).toBe(true);
    // An ordinary schema edit: a new version in the collection's history, whose token the answer carries.
    const { rows: versions } = await pool.query<{ version: number }>(
      `SELECT version FROM collection_versions WHERE "collectionId" = $1 ORDER BY version DESC LIMIT 1`,
      [offer.collectionId],
    );
    expect(versions[0]!.version).toBe(rows[0]!.version);
    expect(set.headers.get("etag")).toBe(formatEtag(offer.collectionId, rows[0]!.version));
    // the advice now says it is set
    const again = await ws.members.owner.client.request<{ advice: { kind: string; isSet: boolean }[] }>("GET", `/api/workspaces/${ws.workspaceId}/contention`);
    expect(again.body.advice.find((a) => a.kind === "always_ask")?.isSet).toBe(true);
  });
});
