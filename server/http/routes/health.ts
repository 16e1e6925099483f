import type { ApiHandler } from "@/server/http/handler";
import { json } from "@/server/http/respond";

/** 200 with the database's state, 503 when it cannot be reached. */
export const healthRoute: ApiHandler<object> = async (_request, _params, app) => {
  const started = performance.now();
  try {
    const { rows } = await app.db.pool.query<{ migrations: string }>(
      `SELECT count(*) AS migrations FROM _prisma_migrations WHERE finished_at IS NOT NULL`,
    );
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return json({ status: "ok", database: { status: "up", latencyMs, migrations: Number(rows[0]?.migrations ?? 0) } });
  } catch (error) {
    console.error("health check: database unreachable", error);
    return json({ status: "degraded", database: { status: "down" } }, { status: 503 });
  }
};
