import http from "node:http";
import next from "next";
import { createApp, type App } from "@/server/app";
import { readConfig, withAuthSecret, type ServerConfig } from "@/server/config";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "@/server/db/embedded";
import { applyMigrations } from "@/server/db/migrate";
import { createFrontDoor } from "@/server/http/front-door";
import { isAllowedContext, sourceOf } from "@/server/http/origin";
import { createApiRouter } from "@/server/http/router";
import { purgeIdempotencyKeys } from "@/server/persistence/maintenance-repo";
import { sweepStaleSpools } from "@/server/usecases/import-records";
import { cutAccess } from "@/server/realtime/access";
import { createRealtimeServer } from "@/server/realtime/gateway";
import { warmRichTextWorker } from "@/server/richtext/html";
import { createOutboxPublisher, createRichTextApplier, createSchemaPublisher } from "@/server/realtime/publisher";
import { SERVER_EVENTS } from "@/lib/realtime";
import { attachRedisAdapter } from "@/server/realtime/redis";
import { hasAnyUser } from "@/server/persistence/workspaces-repo";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from "@/server/seed";

export type RunningServer = { url: string; port: number; app: App; close: () => Promise<void> };

/**
 * One process: the database (embedded unless DATABASE_URL is set), migrations, demo data, and
 * Next.js, the JSON API and socket.io on one HTTP server. The config is read once, by the caller.
 */
export async function startServer(config: ServerConfig, options: { quiet?: boolean } = {}): Promise<RunningServer> {
  const log = options.quiet ? () => {} : (line: string) => console.log(line);
  let embedded: EmbeddedPostgresHandle | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    log("Starting the embedded PostgreSQL (data in ./.data/)…");
    embedded = await startEmbeddedPostgres({ dataDir: `${config.dataDir}/postgres` });
    databaseUrl = embedded.url;
  }
  const applied = await applyMigrations(databaseUrl, { log });
  if (applied.length > 0) log(`Applied ${applied.length} migration(s).`);
  const app = await createApp({ ...withAuthSecret(config), databaseUrl });
  warmRichTextWorker();
  if (config.seed) await seedDemoData(app, log);

  const nextApp = next({ dev: config.dev, hostname: config.host, port: config.port, quiet: options.quiet });
  await nextApp.prepare();
  const handle = nextApp.getRequestHandler();
  const server = http.createServer(createFrontDoor(createApiRouter(app), handle, { dev: config.dev }));
  // Idle keep-alive connections stay open longer than clients and proxies keep theirs (Node's 5 s
  // default closes them under a client about to reuse one: an ECONNRESET for a request never read).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const realtime = createRealtimeServer(server, {
    deps: app.deps,
    sessions: app.sessions,
    checkpointMs: config.checkpointMs,
    isAllowedOrigin: (req) => isAllowedContext(sourceOf(req), config.auth.baseUrl),
  });
  app.metrics?.setRealtimeGauge(() => {
    const { rooms, sids } = realtime.io.of("/").adapter;
    let watched = 0;
    for (const room of rooms.keys()) if (!sids.has(room)) watched++;
    return { sockets: realtime.io.of("/").sockets.size, rooms: watched };
  });
  app.onAccessChange((change) => cutAccess(realtime.io, change));
  app.onRecordEvent(createRichTextApplier(realtime.io, app.deps));
  app.onSchemaEvent(createSchemaPublisher(realtime.io));
  await app.followOutbox(createOutboxPublisher(realtime.io), () => realtime.io.engine.clientsCount > 0);
  await app.startWebhooks();
  const redis = config.redis
    ? await attachRedisAdapter(realtime.io, config.redis, () => (realtime.io.local.emit as (name: string) => boolean)(SERVER_EVENTS.resync))
    : undefined;
  if (config.redis) log("Live documents and presence go between processes through Redis (REDIS_URL).");
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  const sweep = () => void sweepStaleSpools().catch((error: unknown) => console.warn("removing stale import spool files failed", error));
  sweep();
  const purge = setInterval(
    () => {
      void purgeIdempotencyKeys(app.db).catch(() => {});
      void app.attempts.purgeExpired().catch(() => {});
      sweep();
    },
    60 * 60 * 1000,
  );
  purge.unref();

  log(`\nTandem is running at ${url}`);
  if (config.seed) {
    log(`Demo sign-ins (password "${DEMO_PASSWORD}"):`);
    for (const a of DEMO_ACCOUNTS) log(`  ${a.email.padEnd(22)} ${a.role}`);
  } else if (!(await hasAnyUser(app.db))) {
    log(`No account yet: open ${url}/setup to create the owner account and the first workspace.`);
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(purge);
      // Each step runs whatever became of the one before (a database already stopping by the same
      // Ctrl-C fails a flush): the embedded database is always stopped last.
      const failures: string[] = [];
      const step = async (name: string, run: () => Promise<unknown> | unknown) => {
        try {
          await run();
        } catch (error) {
          failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      };
      await step("saving live rich text", () => realtime.checkpoints.flushAll());
      await step("closing sockets", () => new Promise<void>((resolve) => realtime.io.close(() => resolve())));
      await step("closing Redis", () => redis?.close());
      server.closeAllConnections();
      await step("closing HTTP", () => new Promise<void>((resolve) => server.close(() => resolve())));
      await step("closing Next.js", () => nextApp.close?.());
      await step("closing the app", () => app.close());
      await step("stopping the embedded PostgreSQL", () => embedded?.stop());
      if (failures.length > 0) throw new Error(failures.join("; "));
    })();
    return closing;
  };
  return { url, port, app, close };
}

/** Runs the server until SIGINT/SIGTERM, then stops it and the embedded database cleanly. */
export async function runMain() {
  const config = readConfig();
  // A server started by a test runner exits when the runner is gone, even if it was killed.
  if (config.parentPid) watchParent(config.parentPid);
  const running = await startServer(config);
  let stoppingAt = 0;
  const stop = (signal: string) => {
    // npm passes a Ctrl-C on to this process, which the terminal already sent it: one stop. A
    // second signal a while later means "now".
    if (stoppingAt) {
      if (Date.now() - stoppingAt > 2000) process.exit(130);
      return;
    }
    stoppingAt = Date.now();
    console.log(`\n${signal}: stopping…`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("shutdown failed", error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

function watchParent(pid: number) {
  setInterval(() => {
    try {
      process.kill(pid, 0);
    } catch {
      process.kill(process.pid, "SIGTERM");
    }
  }, 1000).unref();
}
