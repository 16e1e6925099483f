import http from "node:http";
import next from "next";
import { applyMigrations } from "@/server/db/migrate";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "@/server/db/embedded";
import { disconnectPrisma } from "@/server/persistence/prisma";
import { purgeIdempotencyKeys } from "@/server/persistence/idempotency-repo";
import { getDb } from "@/server/persistence/prisma";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from "@/server/seed";
import { ensureAuthSecret, readConfig } from "@/server/config";
import { getDeps, installRecordEventSink } from "@/server/context";
import { createRealtimeServer } from "@/server/realtime/gateway";
import { createPublisher } from "@/server/realtime/publisher";
import { attachRedisAdapter } from "@/server/realtime/redis";
import { routeApi } from "@/server/http/router";

export type RunningServer = { url: string; port: number; close: () => Promise<void> };

/**
 * One process: the database (embedded unless DATABASE_URL is set), migrations, demo data,
 * Next.js and (later) socket.io on one HTTP server.
 */
export async function startServer(options: { seed?: boolean; quiet?: boolean } = {}): Promise<RunningServer> {
  const config = readConfig();
  const log = options.quiet ? () => {} : (line: string) => console.log(line);
  let embedded: EmbeddedPostgresHandle | undefined;
  if (!config.databaseUrl) {
    log("Starting the embedded PostgreSQL (data in ./.data/)…");
    embedded = await startEmbeddedPostgres({ dataDir: ".data/postgres" });
    process.env.DATABASE_URL = embedded.url;
  }
  const databaseUrl = process.env.DATABASE_URL!;
  ensureAuthSecret();
  const applied = await applyMigrations(databaseUrl, { log });
  if (applied.length > 0) log(`Applied ${applied.length} migration(s).`);
  const seed = options.seed ?? process.env.TANDEM_SEED !== "false";
  if (seed) await seedDemoData(log);

  const app = next({ dev: config.dev, hostname: config.host, port: config.port, quiet: options.quiet });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    if (routeApi(req, res)) return;
    handle(req, res).catch((error: unknown) => {
      console.error("request failed", { method: req.method, url: req.url, error });
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "internal", message: "Something went wrong on our side. Please try again" }));
    });
  });
  const realtime = createRealtimeServer(server, getDeps);
  installRecordEventSink(createPublisher(realtime.io, getDeps));
  const detachRedis = config.redisUrl ? await attachRedisAdapter(realtime.io, config.redisUrl) : undefined;
  if (config.redisUrl) log("Real-time events go through Redis (REDIS_URL).");
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  const purge = setInterval(() => void purgeIdempotencyKeys(getDb()).catch(() => {}), 60 * 60 * 1000);
  purge.unref();

  log(`\nTandem is running at ${url}`);
  if (seed) {
    log(`Demo sign-ins (password "${DEMO_PASSWORD}"):`);
    for (const a of DEMO_ACCOUNTS) log(`  ${a.email.padEnd(22)} ${a.role}`);
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(purge);
      await realtime.checkpoints.flushAll();
      await new Promise<void>((resolve) => realtime.io.close(() => resolve()));
      await detachRedis?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close?.();
      await disconnectPrisma();
      await embedded?.stop();
    })();
    return closing;
  };
  return { url, port, close };
}

/** Runs the server until SIGINT/SIGTERM, then stops it and the embedded database cleanly. */
export async function runMain() {
  const running = await startServer();
  const stop = (signal: string) => {
    console.log(`\n${signal}: stopping…`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("shutdown failed", error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}
