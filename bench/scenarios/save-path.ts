// 1. Save path: N clients each save records of their own in a loop (PATCH with the ETag of the
// previous save of that record, no GET), at 1, 8, 32 and 128 clients, on the scale collection at
// its first size (10k records). Beside the bare HTTP server (node:http + pg, same statement)
// and the same statement by raw pg, all three in the same alternating rounds.
import { measureSaves, recordsWanted } from "../lib/save-sides.ts";
import type { BenchRow, Scenario } from "./types.ts";

/** the share of the full duration each side gets per figure (three sides per figure) */
const SCALE = 0.6;

export const savePath: Scenario = {
  name: "save path",
  description: "saves/s and latency at 1, 8, 32, 128 clients on records of their own, beside a bare HTTP server and raw pg",
  async run(ctx) {
    const concurrency = ctx.options.quick ? [1, 32] : [1, 8, 32, 128];
    const size = ctx.options.records[0]!;
    await ctx.scale.grow(size);
    const rows: BenchRow[] = [];
    for (const clients of concurrency) {
      const ids = await ctx.scale.sample(Math.min(size, recordsWanted(clients)));
      const result = await measureSaves(ctx, `save path / ${clients} clients`, clients, ids, SCALE);
      const goals =
        clients === 32
          ? [
              { label: "≥90% bare http", ok: result.httpRatio >= 0.9 },
              { label: "≥60% raw", ok: result.ratio >= 0.6 },
              { label: "p99≤15ms", ok: result.tandem.p99Ms <= 15 },
            ]
          : [];
      rows.push({
        scenario: "save path",
        case: `${clients} client${clients === 1 ? "" : "s"}, ${size.toLocaleString("en-US")} records`,
        kind: "throughput",
        ...result,
        goals,
        notes: {},
      });
    }
    return rows;
  },
};
