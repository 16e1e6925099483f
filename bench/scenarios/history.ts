// 5 (second part). History pages: a record with 10k and one with 100k revisions (1k quick), the
// first page and the page below the version at 10 % of the history, one request at a time,
// beside the same page by keyset on (recordId, version) by raw pg.
import { createCollection, insertLongHistory } from "../lib/fixtures.ts";
import type { HttpClient } from "../lib/http-client.ts";
import { fmt, measureProbe, PAGE } from "../lib/page-probe.ts";
import type { BenchRow, Scenario } from "./types.ts";

const historySql = (before: boolean) => `
  SELECT v.version, v.kind, v."authorId", u.name AS "authorName", v."createdAt", v.changes, v.meta
  FROM revisions v JOIN users u ON u.id = v."authorId"
  WHERE v."recordId" = $1::uuid ${before ? "AND v.version < $2::int" : ""}
  ORDER BY v.version DESC LIMIT ${PAGE + 1}`;

export const history: Scenario = {
  name: "history",
  description: "revision pages of records with 10k and 100k revisions (first and deep page)",
  async run(ctx) {
    const author = ctx.workspace.users[0]!;
    const collectionId = await createCollection(ctx.admin, ctx.workspace.id, "History");
    const agent = ctx.newAgent(1);
    const client = author.client.fork(agent);
    const rows: BenchRow[] = [];
    try {
      for (const versions of ctx.options.revisions) {
        const t0 = performance.now();
        const recordId = await insertLongHistory(ctx.admin, collectionId, author.id, versions);
        ctx.log(`  a record with ${fmt(versions)} revisions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        const deep = Math.max(2, Math.floor(versions * 0.1));
        await checkHistoryCursor(client, recordId, deep);
        const base = `/api/records/${recordId}/revisions?limit=${PAGE}`;
        rows.push(
          await measureProbe(ctx, client, {
            scenario: "history",
            case: `${fmt(versions)} revisions, first page`,
            path: base,
            sql: historySql(false),
            params: [recordId],
          }),
        );
        rows.push(
          await measureProbe(ctx, client, {
            scenario: "history",
            case: `${fmt(versions)} revisions, before v${fmt(deep)}`,
            path: `${base}&cursor=${deep}`,
            sql: historySql(true),
            params: [recordId, deep],
          }),
        );
      }
    } finally {
      agent.destroy();
    }
    return rows;
  },
};

/** The history cursor is the version a page continues below; check the server still reads it so. */
async function checkHistoryCursor(client: HttpClient, recordId: string, before: number): Promise<void> {
  const page = await client.json<{ revisions: { version: number }[] }>("GET", `/api/records/${recordId}/revisions?limit=${PAGE}&cursor=${before}`, {
    expect: 200,
  });
  if (page.body.revisions[0]?.version !== before - 1) throw new Error(`the history cursor no longer means "versions below ${before}"`);
}
