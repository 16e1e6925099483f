import { timingSafeEqual } from "node:crypto";
import type pg from "pg";
import type { App } from "@/server/app";
import type { ApiHandler } from "@/server/http/handler";
import type { ApiRequest } from "@/server/http/api";
import { json } from "@/server/http/respond";
import { RETRY_AFTER_SECONDS, withDeadline } from "@/server/persistence/db-unavailable";

const MIGRATIONS_SQL = `SELECT count(*) AS migrations FROM _prisma_migrations WHERE finished_at IS NOT NULL`;

/**
 * 200 when the database answers within the health deadline, 503 with Retry-After when it does
 * not (down, frozen, or out of connections): never a hang. Anyone may ask whether Tandem is up;
 * latency and the migration count are for a signed-in user or the metrics token.
 */
export const healthRoute: ApiHandler<object> = async (request, _params, app) => {
  const deadline = app.config.healthTimeoutMs;
  const started = performance.now();
  // pg honours a per-query query_timeout that its types do not declare.
  const query: pg.QueryConfig & { query_timeout: number } = { text: MIGRATIONS_SQL, query_timeout: deadline };
  const [database, mayKnowMore] = await Promise.all([
    withDeadline(app.db.pool.query<{ migrations: string }>(query), deadline).then(
      ({ rows }) => ({ isUp: true as const, latencyMs: Math.round((performance.now() - started) * 10) / 10, migrations: Number(rows[0]?.migrations ?? 0) }),
      (error: unknown) => ({ isUp: false as const, reason: error instanceof Error ? error.message : String(error) }),
    ),
    isInsider(request, app, deadline),
  ]);
  if (!database.isUp) {
    console.warn("health check: database unavailable", { reason: database.reason });
    return json({ status: "down" }, { status: 503, headers: { "retry-after": String(RETRY_AFTER_SECONDS) } });
  }
  if (!mayKnowMore) return json({ status: "ok" });
  return json({ status: "ok", database: { status: "up", latencyMs: database.latencyMs, migrations: database.migrations } });
};

/** The metrics token, or a session that checks out within the deadline; anything else is anonymous. */
async function isInsider(request: ApiRequest, app: App, deadline: number): Promise<boolean> {
  const token = app.config.metricsToken;
  const authorization = request.headers.get("authorization");
  if (token && authorization?.startsWith("Bearer ")) {
    const sent = Buffer.from(authorization.slice("Bearer ".length));
    const expected = Buffer.from(token);
    if (sent.length === expected.length && timingSafeEqual(sent, expected)) return true;
  }
  if (!request.headers.get("cookie")) return false;
  try {
    return (await withDeadline(app.sessions.getUser(request.headers), deadline)) !== null;
  } catch {
    return false;
  }
}
