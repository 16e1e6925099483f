// The bench's own people and data: users sign up through the API (so their sessions are real);
// workspace, membership, collection and bulk records are plain SQL, which is faster and is not
// what is measured.
import { randomBytes } from "node:crypto";
import type http from "node:http";
import type pg from "pg";
import type { FieldDef } from "@/lib/types";
import { HttpClient } from "./http-client.ts";

export const BENCH_FIELDS: FieldDef[] = [
  { key: "name", label: "Name", type: "text", required: true, options: { maxLength: 200 } },
  { key: "n", label: "N", type: "number", options: { integer: true, min: 0 } },
  { key: "status", label: "Status", type: "select", options: { choices: ["open", "doing", "done"] } },
  { key: "notes", label: "Notes", type: "longtext" },
];

/** A record's values about the size of a real one (~200 bytes of JSON). */
export const sampleValues = (i: number) => ({
  name: `Item ${i}`,
  n: 0,
  status: "open",
  notes: `Benchmark record ${i}: some notes that make the row about the size of a real one, with two lines.\nSecond line.`,
});

export type BenchUser = { id: string; email: string; client: HttpClient };

export type Workspace = { id: string; users: BenchUser[] };

export async function createWorkspace(baseUrl: string, agent: http.Agent, pool: pg.Pool, userCount: number): Promise<Workspace> {
  const tag = randomBytes(4).toString("hex");
  const users: BenchUser[] = [];
  for (let i = 0; i < userCount; i++) {
    const client = new HttpClient(baseUrl, agent);
    const email = `bench-${tag}-${i}@bench.test`;
    await client.json("POST", "/api/auth/sign-up/email", { json: { email, name: `Bench ${i}`, password: `bench-password-${tag}` }, expect: 200 });
    // Sign-up opens no session (it must not reveal existing accounts): sign in.
    const res = await client.json<{ user: { id: string } }>("POST", "/api/auth/sign-in/email", {
      json: { email, password: `bench-password-${tag}` },
      expect: 200,
    });
    users.push({ id: res.body.user.id, email, client });
  }
  const { rows } = await pool.query<{ id: string }>(`INSERT INTO workspaces (name) VALUES ($1) RETURNING id`, [`Bench ${tag}`]);
  const workspaceId = rows[0]!.id;
  for (const user of users) {
    await pool.query(`INSERT INTO memberships ("workspaceId", "userId", role) VALUES ($1, $2, 'editor')`, [workspaceId, user.id]);
  }
  return { id: workspaceId, users };
}

/** The bench's fields plus a rich-text field "body" (a Y.Doc XmlFragment), for the Yjs relay. */
export const RICH_TEXT_FIELDS: FieldDef[] = [...BENCH_FIELDS, { key: "body", label: "Body", type: "richtext" }];

export async function createCollection(pool: pg.Pool, workspaceId: string, name: string, fields: FieldDef[] = BENCH_FIELDS): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(`INSERT INTO collections ("workspaceId", name, fields) VALUES ($1, $2, $3) RETURNING id`, [
    workspaceId,
    name,
    JSON.stringify(fields),
  ]);
  return rows[0]!.id;
}

const INSERT_RECORDS_SQL = `
  WITH inserted AS (
    INSERT INTO records ("collectionId", "values", version, "createdAt", "updatedAt", "updatedById")
    SELECT $1::uuid, v, 1, ts, ts, $2::text
    FROM generate_series($3::int, $4::int) AS i,
         LATERAL (SELECT timestamptz '2026-01-01 00:00:00+00' - make_interval(secs => i) AS ts) AS t,
         LATERAL (SELECT jsonb_build_object(
           'name', 'Item ' || i, 'n', 0, 'status', (ARRAY['open','doing','done'])[1 + i % 3],
           'notes', 'Benchmark record ' || i || ': some notes that make the row about the size of a real one, with two lines.' || chr(10) || 'Second line.'
         ) AS v) AS vv
    RETURNING id, "values", "createdAt"
  )
  INSERT INTO revisions ("recordId", version, kind, "authorId", changes, snapshot, "createdAt")
  SELECT id, 1, 'create', $2::text,
         (SELECT jsonb_object_agg(e.key, jsonb_build_object('from', NULL, 'to', e.value)) FROM jsonb_each("values") e),
         "values", "createdAt"
  FROM inserted`;

/**
 * `count` records at version 1, each with its "create" revision, in one set-based statement per
 * batch (INSERT ... SELECT generate_series, the revisions from the inserted rows' RETURNING).
 * createdAt steps back one second per record from a fixed instant, so the default order (newest
 * first) is i = 1, 2, … however many times the collection grew.
 * `from` continues a collection that already holds from − 1 of them (growing it 10k → 100k → 1M).
 */
export async function insertRecords(pool: pg.Pool, collectionId: string, authorId: string, count: number, from = 1): Promise<void> {
  const BATCH = 50_000;
  const batches: [number, number][] = [];
  for (let first = from; first < from + count; first += BATCH) batches.push([first, Math.min(from + count - 1, first + BATCH - 1)]);
  // Two batches at a time: PostgreSQL spends the time in CPU (index and jsonb work), and has two cores.
  const lane = async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) await pool.query(INSERT_RECORDS_SQL, [collectionId, authorId, ...batch]);
  };
  await Promise.all([lane(), lane()]);
  // Vacuumed now, so that autovacuum does not wake up on a million new rows during a later figure.
  await pool.query(`VACUUM (ANALYZE) records, revisions`);
}

/** The ids of a collection's records, newest first (the API's default order). */
export async function listRecordIds(pool: pg.Pool, collectionId: string, limit: number): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM records WHERE "collectionId" = $1 ORDER BY "createdAt" DESC, id DESC LIMIT $2`, [
    collectionId,
    limit,
  ]);
  return rows.map((r) => r.id);
}

/** One record whose history holds `versions` revisions (1 create, then saves of field n). */
export async function insertLongHistory(pool: pg.Pool, collectionId: string, authorId: string, versions: number): Promise<string> {
  const values = { ...sampleValues(0), n: versions - 1 };
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO records ("collectionId", "values", version, "updatedById") VALUES ($1, $2, $3, $4) RETURNING id`,
    [collectionId, JSON.stringify(values), versions, authorId],
  );
  const recordId = rows[0]!.id;
  await pool.query(
    `INSERT INTO revisions ("recordId", version, kind, "authorId", changes, snapshot, "createdAt")
     SELECT $1::uuid, v, CASE WHEN v = 1 THEN 'create' ELSE 'save' END, $2::text,
            CASE WHEN v = 1 THEN jsonb_build_object('n', jsonb_build_object('from', NULL, 'to', 0))
                 ELSE jsonb_build_object('n', jsonb_build_object('from', v - 2, 'to', v - 1)) END,
            $3::jsonb || jsonb_build_object('n', v - 1),
            now() - make_interval(secs => $4::int - v)
     FROM generate_series(1, $4::int) AS v`,
    [recordId, authorId, JSON.stringify(values), versions],
  );
  await pool.query(`VACUUM (ANALYZE) revisions`);
  return recordId;
}
