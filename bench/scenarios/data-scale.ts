// 5 (first part). Scale of data: the scale collection grown 10k → 100k → 1M records (bulk SQL);
// at every size the save path at 32 clients (beside the bare HTTP server and raw pg) and two page
// loads of the collection, the first page and the one after 90 % of it, one request at a time,
// beside the same page read by raw pg with the index-friendly keyset query.
import type pg from "pg";
import type { HttpClient } from "../lib/http-client.ts";
import { fmt, measureProbe, PAGE } from "../lib/page-probe.ts";
import { measureSaves, recordsWanted } from "../lib/save-sides.ts";
import type { BenchRow, Scenario, ScenarioContext } from "./types.ts";

/** how deep the deep page is, as a fraction of the whole list */
const DEPTH = 0.9;
const SAVE_CLIENTS = 32;
/** the share of the full duration each side of a save figure gets */
const SAVE_SCALE = 0.6;

// What the API returns for a page (same columns, same joins), in the form the indexes serve best.
const listSql = (after: boolean) => `
  SELECT r.id, r."collectionId", r."values", r.version, r."createdAt", r."updatedAt", r."updatedById",
         u.name AS "updatedByName", r."deletedAt"
  FROM records r JOIN users u ON u.id = r."updatedById"
  WHERE r."collectionId" = $1::uuid AND r."deletedAt" IS NULL
    ${after ? `AND (r."createdAt", r.id) < ($2::timestamptz, $3::uuid)` : ""}
  ORDER BY r."createdAt" DESC, r.id DESC LIMIT ${PAGE + 1}`;

export const dataScale: Scenario = {
  name: "data scale",
  description: "the save path (32 clients) and list pages at 10k, 100k and 1M records",
  async run(ctx) {
    const agent = ctx.newAgent(1);
    const client = ctx.workspace.users[0]!.client.fork(agent);
    const rows: BenchRow[] = [];
    try {
      for (const size of ctx.options.records) rows.push(...(await measureSize(ctx, client, size)));
    } finally {
      agent.destroy();
    }
    return rows;
  },
};

async function measureSize(ctx: ScenarioContext, client: HttpClient, size: number): Promise<BenchRow[]> {
  const collectionId = await ctx.scale.grow(size);
  const ids = await ctx.scale.sample(Math.min(size, recordsWanted(SAVE_CLIENTS)));
  const saves = await measureSaves(ctx, `data scale / save, ${fmt(size)} records`, SAVE_CLIENTS, ids, SAVE_SCALE);
  const rows: BenchRow[] = [
    {
      scenario: "data scale",
      case: `save, ${SAVE_CLIENTS} clients, ${fmt(size)} records`,
      kind: "throughput",
      ...saves,
      goals: [{ label: "p99≤15ms", ok: saves.tandem.p99Ms <= 15 }],
      notes: {},
    },
  ];
  const deepAt = Math.floor(size * DEPTH);
  const deep = await listCursorAt(ctx.admin, client, collectionId, deepAt);
  const base = `/api/collections/${collectionId}/records?limit=${PAGE}`;
  rows.push(
    await measureProbe(ctx, client, {
      scenario: "data scale",
      case: `list of ${fmt(size)}, first page`,
      path: base,
      sql: listSql(false),
      params: [collectionId],
    }),
  );
  rows.push(
    await measureProbe(ctx, client, {
      scenario: "data scale",
      case: `list of ${fmt(size)}, page at ${fmt(deepAt)}`,
      path: `${base}&cursor=${deep.cursor}`,
      sql: listSql(true),
      params: [collectionId, deep.createdAt, deep.id],
    }),
  );
  return rows;
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
