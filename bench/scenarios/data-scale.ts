// 5 (first half). Scale of data: page loads of a 100k-record collection (first page and a deep
// one) and of a 10k-revision history, one request at a time, beside the same page read by raw pg
// with the index-friendly keyset query.
import type pg from "pg";
import { createCollection, insertLongHistory, insertRecords } from "../lib/fixtures.ts";
import type { HttpClient } from "../lib/http-client.ts";
import { sideBySide } from "../lib/compare.ts";
import { runSequential } from "../lib/load.ts";
import type { BenchRow, Scenario, ScenarioContext } from "./types.ts";

const PAGE = 50;
/** how deep the deep page is, as a fraction of the whole list */
const DEPTH = 0.9;

// What the API returns for a page (same columns, same joins), in the form the indexes serve best.
const listSql = (after: boolean) => `
  SELECT r.id, r."collectionId", r."values", r.version, r."createdAt", r."updatedAt", r."updatedById",
         u.name AS "updatedByName", r."deletedAt"
  FROM records r JOIN users u ON u.id = r."updatedById"
  WHERE r."collectionId" = $1::uuid AND r."deletedAt" IS NULL
    ${after ? `AND (r."createdAt", r.id) < ($2::timestamptz, $3::uuid)` : ""}
  ORDER BY r."createdAt" DESC, r.id DESC LIMIT ${PAGE + 1}`;

const historySql = (before: boolean) => `
  SELECT v.version, v.kind, v."authorId", u.name AS "authorName", v."createdAt", v.changes, v.meta
  FROM revisions v JOIN users u ON u.id = v."authorId"
  WHERE v."recordId" = $1::uuid ${before ? "AND v.version < $2::int" : ""}
  ORDER BY v.version DESC LIMIT ${PAGE + 1}`;

type Probe = { case: string; path: string; sql: string; params: unknown[] };

export const dataScale: Scenario = {
  name: "data scale",
  description: "list pages of a 100k-record collection and history pages of a 10k-revision record",
  async run(ctx) {
    const records = ctx.options.quick ? 10_000 : 100_000;
    const versions = ctx.options.quick ? 1_000 : 10_000;
    const author = ctx.workspace.users[0]!;
    const t0 = performance.now();
    const collectionId = await createCollection(ctx.admin, ctx.workspace.id, "Scale");
    await insertRecords(ctx.admin, collectionId, author.id, records);
    const historyCollection = await createCollection(ctx.admin, ctx.workspace.id, "History");
    const recordId = await insertLongHistory(ctx.admin, historyCollection, author.id, versions);
    ctx.log(`  inserted ${records} records and a ${versions}-revision history in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const agent = ctx.newAgent(1);
    const client = author.client.fork(agent);
    try {
      const deepAt = Math.floor(records * DEPTH);
      const deep = await listCursorAt(ctx.admin, client, collectionId, deepAt);
      const deepVersion = Math.max(2, Math.floor(versions * (1 - DEPTH)));
      await checkHistoryCursor(client, recordId, deepVersion);
      const fmt = (n: number) => n.toLocaleString("en-US");
      const probes: Probe[] = [
        { case: `list of ${fmt(records)}, first page`, path: `/api/collections/${collectionId}/records?limit=${PAGE}`, sql: listSql(false), params: [collectionId] },
        {
          case: `list of ${fmt(records)}, page at ${fmt(deepAt)}`,
          path: `/api/collections/${collectionId}/records?limit=${PAGE}&cursor=${deep.cursor}`,
          sql: listSql(true),
          params: [collectionId, deep.createdAt, deep.id],
        },
        { case: `history of ${fmt(versions)}, first page`, path: `/api/records/${recordId}/revisions?limit=${PAGE}`, sql: historySql(false), params: [recordId] },
        {
          case: `history of ${fmt(versions)}, before v${fmt(deepVersion)}`,
          path: `/api/records/${recordId}/revisions?limit=${PAGE}&cursor=${deepVersion}`,
          sql: historySql(true),
          params: [recordId, deepVersion],
        },
      ];
      const rows: BenchRow[] = [];
      for (const probe of probes) rows.push(await measureProbe(ctx, client, probe));
      return rows;
    } finally {
      agent.destroy();
    }
  },
};

async function measureProbe(ctx: ScenarioContext, client: HttpClient, probe: Probe): Promise<BenchRow> {
  const db = await ctx.admin.connect();
  const raw = async () => {
    const { rowCount } = await db.query(probe.sql, probe.params);
    if (!rowCount) throw new Error(`${probe.case}: raw query returned no rows`);
  };
  const tandem = async () => {
    const res = await client.request("GET", probe.path);
    if (res.status !== 200) throw new Error(`GET ${probe.path}: ${res.status} ${res.text.slice(0, 200)}`);
  };
  try {
    const result = await sideBySide(
      ctx.options,
      `data scale / ${probe.case}`,
      {
        raw: (timing) => runSequential({ ...timing, operation: raw }),
        tandem: (timing) => runSequential({ ...timing, operation: tandem }),
      },
      0.5,
    );
    return {
      scenario: "data scale",
      case: probe.case,
      kind: "latency",
      ...result,
      ratio: result.raw.p50Ms / result.tandem.p50Ms,
      goals: [{ label: "p99≤30ms", ok: result.tandem.p99Ms <= 30 }],
      notes: { requests: result.tandem.samples },
    };
  } finally {
    db.release();
  }
}

type ListCursor = { cursor: string; createdAt: Date; id: string };

/**
 * The cursor that continues the list after its `position`-th record. Built the way the server
 * encodes it (base64url of [sort value, id]) rather than by walking thousands of pages; checked
 * against the server's own nextCursor and against the page it returns, so a change of format
 * fails loudly here instead of measuring an error page.
 */
async function listCursorAt(admin: pg.Pool, client: HttpClient, collectionId: string, position: number): Promise<ListCursor> {
  // The sort value as PostgreSQL's JSON writes a timestamptz ("…+00:00", µs), or as JavaScript's
  // Date does ("…Z", ms): whichever the server's own cursor turns out to use.
  const formats = [(row: { sortValue: unknown }) => row.sortValue, (row: { createdAt: Date }) => row.createdAt.toISOString()];
  let format = formats[0]!;
  const at = async (pos: number) => {
    const { rows } = await admin.query<{ sortValue: unknown; createdAt: Date; id: string }>(
      `SELECT to_jsonb("createdAt") AS "sortValue", "createdAt", id FROM records
       WHERE "collectionId" = $1 AND "deletedAt" IS NULL ORDER BY "createdAt" DESC, id DESC OFFSET $2 LIMIT 2`,
      [collectionId, pos - 1],
    );
    const encode = (f: (typeof formats)[number]) => Buffer.from(JSON.stringify([f(rows[0]!), rows[0]!.id])).toString("base64url");
    return { cursor: encode(format), encode, createdAt: rows[0]!.createdAt, id: rows[0]!.id, nextId: rows[1]?.id };
  };
  const first = await client.json<{ nextCursor: string | null }>("GET", `/api/collections/${collectionId}/records?limit=${PAGE}`, { expect: 200 });
  const built = await at(PAGE);
  const matching = formats.find((f) => built.encode(f) === first.body.nextCursor);
  if (!matching) {
    throw new Error(`the list cursor format changed (server ${first.body.nextCursor}, bench ${built.cursor}): update bench/scenarios/data-scale.ts`);
  }
  format = matching;
  const deep = await at(position);
  const page = await client.json<{ records: { id: string }[] }>("GET", `/api/collections/${collectionId}/records?limit=${PAGE}&cursor=${deep.cursor}`, {
    expect: 200,
  });
  if (page.body.records[0]?.id !== deep.nextId) throw new Error(`the deep list page does not start after record ${position}`);
  return deep;
}

/** The history cursor is the version a page continues below; check the server still reads it so. */
async function checkHistoryCursor(client: HttpClient, recordId: string, before: number): Promise<void> {
  const page = await client.json<{ revisions: { version: number }[] }>("GET", `/api/records/${recordId}/revisions?limit=${PAGE}&cursor=${before}`, {
    expect: 200,
  });
  if (page.body.revisions[0]?.version !== before - 1) throw new Error(`the history cursor no longer means "versions below ${before}"`);
}
