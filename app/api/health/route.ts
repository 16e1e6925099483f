import { getPrisma } from "@/server/persistence/prisma";

export const dynamic = "force-dynamic";

export async function GET() {
  const started = performance.now();
  try {
    const rows = await getPrisma().$queryRaw<{ migrations: bigint }[]>`
      SELECT count(*) AS migrations FROM _prisma_migrations WHERE finished_at IS NOT NULL`;
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return Response.json({ status: "ok", database: { status: "up", latencyMs, migrations: Number(rows[0]?.migrations ?? 0) } });
  } catch (error) {
    console.error("health check: database unreachable", error);
    return Response.json({ status: "degraded", database: { status: "down" } }, { status: 503 });
  }
}
