// The bare HTTP baseline: the least a Node server must do to offer Tandem's save over HTTP, with
// plain node:http and pg and nothing else (no framework, no ORM, no validation library, no
// events). Between raw pg and Tandem in the table, it splits "what HTTP on Node costs" from "what
// Tandem adds". Per request, as a minimal server would do it:
// - PATCH /api/records/:id {values} with If-Match: the session looked up by its cookie in the
//   sessions table (Tandem's own, so the bench users' real cookies work), the If-Match token
//   read with lib/etag, the record's workspace from a map (a record never changes collection;
//   Tandem keeps it too), then Tandem's save statement (copied in lib/save-sql.ts); 200 with the
//   record and its ETag, 412 with the current record when stale;
// - PATCH /api/records/:id {ops: {field: {add}}} (one counter, no If-Match): the session looked up
//   the same way, then the counters bench's raw statement, one conditional UPDATE of the row (no
//   revision, as on its raw side); 200 with the version and the new value, 409 when the field's
//   bound of 0 would be crossed;
// - GET /api/records/:id: the session looked up the same way, then the record read with its
//   reader's membership in the same query (404 when not a member); 200 with the record and its ETag;
// - GET /api/health: the health query, no session.
// Runs in a process of its own (lib/child.ts), with a pool of the server's size.
import http from "node:http";
import pg from "pg";
import { formatEtag, parseIfMatch } from "@/lib/etag";
import { serveParent } from "../lib/child.ts";
import { HEALTH_SQL, RAW_ADD, runSave, type SaveRow } from "../lib/save-sql.ts";

const pool = new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL, max: Number(process.env.BENCH_POOL_SIZE) || 20 });
const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-)?tandem\.session_token=([^;]+)/;
const RECORD_PATH = /^\/api\/records\/([0-9a-f-]{36})$/;
const workspaces = new Map<string, string>();

type Reply = { status: number; body: unknown; etag?: string };

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    handle(req, Buffer.concat(chunks).toString("utf8"))
      .catch((error: unknown): Reply => ({ status: 500, body: { error: error instanceof Error ? error.message : String(error) } }))
      .then((reply) => {
        const body = Buffer.from(JSON.stringify(reply.body));
        const headers: http.OutgoingHttpHeaders = { "content-type": "application/json", "content-length": body.length };
        if (reply.etag) headers.etag = reply.etag;
        res.writeHead(reply.status, headers).end(body);
      });
  });
});

async function handle(req: http.IncomingMessage, text: string): Promise<Reply> {
  if (req.method === "GET" && req.url === "/api/health") {
    const { rows } = await pool.query<{ migrations: string }>(HEALTH_SQL);
    return { status: 200, body: { status: "ok", migrations: Number(rows[0]?.migrations ?? 0) } };
  }
  const recordId = req.method === "PATCH" || req.method === "GET" ? RECORD_PATH.exec(req.url ?? "")?.[1] : undefined;
  if (!recordId) return { status: 404, body: { error: "not found" } };
  const user = await sessionUser(req.headers.cookie);
  if (!user) return { status: 401, body: { error: "sign in first" } };
  if (req.method === "GET") return read(recordId, user);
  const body = parseBody(text);
  if (body && "ops" in body) return take(recordId, body.ops);
  const patch = body?.values;
  if (!patch) return { status: 400, body: { error: 'the body must be {"values": {…}} or {"ops": {"<field>": {"add": n}}}' } };
  const token = parseIfMatch(req.headers["if-match"], recordId);
  if (!token.ok) return { status: 428, body: { error: token.message } };
  const workspaceId = await workspaceOf(recordId);
  if (!workspaceId) return { status: 404, body: { error: "no such record" } };
  const row = await runSave(pool, { recordId, expectedVersion: token.version, workspaceId, authorId: user, patch });
  if (!row) return { status: 409, body: { error: "not saved" } };
  return { status: row.outcome === "saved" ? 200 : 412, body: recordBody(row), etag: formatEtag(row.id, row.version) };
}

async function read(recordId: string, userId: string): Promise<Reply> {
  const { rows } = await pool.query<SaveRow>({
    name: "bare_read",
    text: `SELECT r.id, r."collectionId", r."values", r.version, r."createdAt", r."updatedAt", r."updatedById", u.name AS "updatedByName", r."deletedAt"
           FROM records r JOIN collections c ON c.id = r."collectionId" JOIN users u ON u.id = r."updatedById"
           JOIN memberships m ON m."workspaceId" = c."workspaceId" AND m."userId" = $2::text
           WHERE r.id = $1::uuid`,
    values: [recordId, userId],
  });
  const row = rows[0];
  if (!row) return { status: 404, body: { error: "no such record" } };
  return { status: 200, body: recordBody(row), etag: formatEtag(row.id, row.version) };
}

async function sessionUser(cookie: string | undefined): Promise<string | null> {
  const value = cookie ? SESSION_COOKIE.exec(cookie)?.[1] : undefined;
  if (!value) return null;
  const sessionToken = decodeURIComponent(value).split(".", 1)[0]!;
  const { rows } = await pool.query<{ userId: string }>({
    name: "bare_session",
    text: `SELECT "userId" FROM sessions WHERE token = $1 AND "expiresAt" > now()`,
    values: [sessionToken],
  });
  return rows[0]?.userId ?? null;
}

type Body = { values: Record<string, unknown> } | { ops: { field: string; add: number } };

function parseBody(text: string): Body | null {
  try {
    const body = JSON.parse(text) as { values?: unknown; ops?: unknown };
    const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
    if (isObject(body.values)) return { values: body.values };
    if (!isObject(body.ops)) return null;
    const entries = Object.entries(body.ops);
    const op = entries[0]?.[1];
    if (entries.length !== 1 || !isObject(op) || !Number.isSafeInteger(op.add)) return null;
    return { ops: { field: entries[0]![0], add: op.add as number } };
  } catch {
    return null;
  }
}

async function take(recordId: string, op: { field: string; add: number }): Promise<Reply> {
  const { rows } = await pool.query<{ version: number; value: string }>({ name: "bare_take", text: RAW_ADD, values: [recordId, op.field, op.add] });
  const row = rows[0];
  if (!row) return { status: 409, body: { error: "limit", field: op.field, min: 0 } };
  return { status: 200, body: { id: recordId, version: row.version, values: { [op.field]: Number(row.value) } } };
}

async function workspaceOf(recordId: string): Promise<string | undefined> {
  const known = workspaces.get(recordId);
  if (known) return known;
  const { rows } = await pool.query<{ workspaceId: string }>(
    `SELECT c."workspaceId" FROM records r JOIN collections c ON c.id = r."collectionId" WHERE r.id = $1::uuid`,
    [recordId],
  );
  if (rows[0]) workspaces.set(recordId, rows[0].workspaceId);
  return rows[0]?.workspaceId;
}

const recordBody = (row: SaveRow) => ({
  id: row.id,
  collectionId: row.collectionId,
  values: row.values,
  version: row.version,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  updatedBy: { id: row.updatedById, name: row.updatedByName },
  deletedAt: row.deletedAt,
});

// Ready once every pool connection is open (as the server's are after the bench's setup), so that
// the first figure does not measure connection start-up.
const poolSize = (pool.options as { max: number }).max;
const warm = Promise.all(Array.from({ length: poolSize }, () => pool.query("SELECT 1")));
server.listen(0, "127.0.0.1", () => {
  const address = server.address() as { port: number };
  void warm.then(() => serveParent({}, { url: `http://127.0.0.1:${address.port}` }));
});
process.on("SIGTERM", () => {
  server.close();
  void pool.end().finally(() => process.exit(0));
});
