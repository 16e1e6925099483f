// With PostgreSQL frozen (SIGSTOP: connections stay open, nothing answers, the server enforces
// none of its own timeouts), every request still gets an answer within a bound: 503 with
// Retry-After, a JSON error, never a hang; /api/health reports the database down. When the
// database wakes up, so does Tandem. The database is a cluster of this test's own.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../server/db/migrate";
import { ApiClient } from "./client";
import { createRecord, createWorkspace, type WorkspaceFixture } from "./factories";
import { startOwnPostgres, type OwnPostgres } from "./own-postgres";
import { startTestServer, type TestServer } from "./server";
import { eventually } from "./socket-client";
import type { RecordDto } from "@/lib/types";

// Each answer must come within this, though the database never answers (its parts: waiting for a
// pool connection 1 s, a query 1.5 s, the health check 1 s; the rest is slack for a busy machine).
const BOUND_MS = 8000;

let db: OwnPostgres;
let server: TestServer;
let pool: pg.Pool;
let ws: WorkspaceFixture;
let record: RecordDto;
let etag: string;

beforeAll(async () => {
  db = await startOwnPostgres();
  await applyMigrations(db.url);
  server = await startTestServer({
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: "4",
    TANDEM_DB_CONNECT_TIMEOUT_MS: "1000",
    TANDEM_DB_STATEMENT_TIMEOUT_MS: "1000",
    TANDEM_DB_QUERY_TIMEOUT_MS: "1500",
    TANDEM_HEALTH_TIMEOUT_MS: "1000",
  });
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  ws = await createWorkspace(server.url, pool);
  ({ record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Frozen", stock: 1 }));
});

afterAll(async () => {
  db?.signal("SIGCONT");
  await pool?.end();
  await server?.stop();
  await db?.stop();
});

type Timed = { status: number; headers: Headers; body: { error?: string; status?: string; message?: string }; ms: number };

async function timed(send: () => Promise<{ status: number; headers: Headers; body: unknown }>): Promise<Timed> {
  const started = Date.now();
  const signal = AbortSignal.timeout(BOUND_MS * 2);
  const res = await Promise.race([
    send(),
    new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(new Error(`no answer within ${BOUND_MS * 2} ms`)))),
  ]);
  return { ...res, body: res.body as Timed["body"], ms: Date.now() - started };
}

function expectUnavailable(res: Timed, what: string) {
  expect(res.ms, `${what} took ${res.ms} ms`).toBeLessThan(BOUND_MS);
  expect(res.status, what).toBe(503);
  expect(Number(res.headers.get("retry-after")), what).toBeGreaterThan(0);
  expect(res.headers.get("content-type"), what).toContain("application/json");
}

describe("a frozen database", () => {
  it("gets every request an answer within the bound: 503 with Retry-After, and health says down", async () => {
    const owner = ws.members.owner.client;
    const editor = ws.members.editor.client;
    const uncached = ws.members.viewer.client;
    uncached.keepOnlySessionToken();
    // Warm: the sessions are verified while the database still answers.
    expect((await owner.get("/api/me")).status).toBe(200);
    expect((await editor.get("/api/me")).status).toBe(200);
    expect((await uncached.get("/api/me")).status).toBe(200);
    db.signal("SIGSTOP");
    try {
      const health = await timed(() => new ApiClient(server.url).get("/api/health"));
      expectUnavailable(health, "GET /api/health");
      expect(health.body).toEqual({ status: "down" });

      const requests: [string, () => Promise<{ status: number; headers: Headers; body: unknown }>][] = [
        ["GET a record", () => owner.get(`/api/records/${record.id}`)],
        ["GET collections", () => owner.get(`/api/collections`)],
        ["PATCH a record", () => editor.request("PATCH", `/api/records/${record.id}`, { json: { values: { stock: 2 } }, headers: { "if-match": etag } })],
        ["POST a record", () => editor.request("POST", `/api/collections/${ws.collectionId}/records`, { json: { values: { name: "While frozen" } } })],
        [
          "sign in",
          () =>
            new ApiClient(server.url).request("POST", "/api/auth/sign-in/email", {
              json: { email: ws.members.viewer.email, password: "correct horse battery" },
            }),
        ],
        ["signed-in health", () => owner.get("/api/health")],
        // No signed session copy: the session itself must be read from the database.
        ["an uncached session", () => uncached.get("/api/me")],
        ["sign out", () => uncached.request("POST", "/api/auth/sign-out", { json: {} })],
      ];
      // All at once, more than the pool holds: the ones waiting for a connection give up too.
      const answers = await Promise.all([...requests, ...requests].map(async ([what, send]) => [what, await timed(send)] as const));
      for (const [what, res] of answers) {
        expectUnavailable(res, what);
        if (what !== "signed-in health") expect(res.body.error, what).toBe("unavailable");
      }
    } finally {
      db.signal("SIGCONT");
    }
  });

  it("recovers when the database answers again, and nothing was written meanwhile", async () => {
    await eventually(async () => expect((await new ApiClient(server.url).get("/api/health")).status).toBe(200), 20_000);
    const current = await ws.members.owner.client.get<RecordDto>(`/api/records/${record.id}`);
    expect(current.status).toBe(200);
    expect(current.body.version).toBe(1);
    const save = await ws.members.editor.client.request("PATCH", `/api/records/${record.id}`, {
      json: { values: { stock: 3 } },
      headers: { "if-match": etag },
    });
    expect(save.status).toBe(200);
  });
});
