// A page load measured the way a person meets it: one request at a time on an otherwise idle
// server, beside the same page read by raw pg (same columns, same joins, the query the index serves).
import type { HttpClient } from "./http-client.ts";
import { sideBySide } from "./compare.ts";
import { runSequential } from "./load.ts";
import type { BenchRow, ScenarioContext } from "../scenarios/types.ts";

export const PAGE = 50;

export type Probe = { scenario: string; case: string; path: string; sql: string; params: unknown[] };

/** the share of the full duration each side gets per page figure */
const SCALE = 0.4;

export async function measureProbe(ctx: ScenarioContext, client: HttpClient, probe: Probe): Promise<BenchRow> {
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
      `${probe.scenario} / ${probe.case}`,
      { raw: (timing) => runSequential({ ...timing, operation: raw }), tandem: (timing) => runSequential({ ...timing, operation: tandem }) },
      SCALE,
    );
    return {
      scenario: probe.scenario,
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

export const fmt = (n: number) => n.toLocaleString("en-US");
