// Diagnostic, no goal: the cheapest request the server has (GET /api/health: Next.js routing and
// one Prisma query, no session), beside the same query by raw pg. It shows what any request costs
// before authentication and use case code, so the save path's gap can be split into parts.
import pg from "pg";
import { sideBySide } from "../lib/compare.ts";
import { runLoad, type LoadResult } from "../lib/load.ts";
import type { Scenario } from "./types.ts";

const CLIENTS = 32;
const HEALTH_SQL = `SELECT count(*) AS migrations FROM _prisma_migrations WHERE finished_at IS NOT NULL`;

export const httpFloor: Scenario = {
  name: "http floor",
  description: "diagnostic: GET /api/health (routing + 1 query, no session) beside its query by raw pg",
  async run(ctx) {
    const agent = ctx.newAgent(CLIENTS);
    const db = new pg.Pool({ connectionString: ctx.databaseUrl, max: Math.min(ctx.options.poolSize, CLIENTS) });
    const client = ctx.workspace.users[0]!.client.fork(agent);
    const workers = Array.from({ length: CLIENTS }, (_, i) => i);
    let result: { raw: LoadResult; tandem: LoadResult };
    try {
      result = await sideBySide(
        ctx.options,
        "http floor",
        {
          raw: (timing) => runLoad({ ...timing, workers, operation: async () => void (await db.query(HEALTH_SQL)) }),
          tandem: (timing) =>
            runLoad({
              ...timing,
              workers,
              operation: async () => {
                const res = await client.request("GET", "/api/health");
                if (res.status !== 200) throw new Error(`GET /api/health: ${res.status}`);
              },
            }),
        },
        0.5,
      );
    } finally {
      agent.destroy();
      await db.end();
    }
    const { raw, tandem } = result;
    return [
      {
        scenario: "http floor",
        case: `${CLIENTS} clients, /api/health`,
        kind: "throughput",
        tandem,
        raw,
        ratio: tandem.opsPerSec / raw.opsPerSec,
        goals: [],
        notes: {},
      },
    ];
  },
};
