// Diagnostic, no goal: the cheapest request the server has (GET /api/health: the API router and
// one query, no session), beside the bare HTTP server answering the same route with the same
// query (node:http + pg) and the query alone by raw pg. It shows what any request costs before
// authentication and use-case code, so the save path's gap can be split into parts.
import pg from "pg";
import { sideBySide } from "../lib/compare.ts";
import { HttpClient } from "../lib/http-client.ts";
import { runLoad } from "../lib/load.ts";
import { HEALTH_SQL } from "../lib/save-sql.ts";
import type { Scenario } from "./types.ts";

const CLIENTS = 32;

export const httpFloor: Scenario = {
  name: "http floor",
  description: "diagnostic: GET /api/health (routing + 1 query, no session) beside a bare HTTP server and its query by raw pg",
  async run(ctx) {
    const bare = await ctx.bareHttp();
    const agent = ctx.newAgent(CLIENTS);
    const db = new pg.Pool({ connectionString: ctx.databaseUrl, max: Math.min(ctx.options.poolSize, CLIENTS) });
    const workers = Array.from({ length: CLIENTS }, (_, i) => i);
    const get = (client: HttpClient) => async () => {
      const res = await client.request("GET", "/api/health");
      if (res.status !== 200) throw new Error(`GET /api/health: ${res.status}`);
    };
    try {
      const result = await sideBySide(
        ctx.options,
        "http floor",
        {
          raw: (timing) => runLoad({ ...timing, workers, operation: async () => void (await db.query(HEALTH_SQL)) }),
          http: (timing) => runLoad({ ...timing, workers, operation: get(new HttpClient(bare.url, agent)) }),
          tandem: (timing) => runLoad({ ...timing, workers, operation: get(new HttpClient(ctx.url, agent)) }),
        },
        0.5,
      );
      const { raw, http, tandem } = result;
      return [
        {
          scenario: "http floor",
          case: `${CLIENTS} clients, /api/health`,
          kind: "throughput",
          tandem,
          raw,
          http,
          ratio: tandem.opsPerSec / raw.opsPerSec,
          httpRatio: tandem.opsPerSec / http.opsPerSec,
          goals: [],
          notes: {},
        },
      ];
    } finally {
      agent.destroy();
      await db.end();
    }
  },
};
