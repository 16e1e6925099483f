// The composition root: everything a running Tandem holds, built once from the config and
// passed down. Nothing below reads the environment or reaches for a global.
import type { ServerConfig } from "@/server/config";
import { createAuth, type Auth } from "@/server/auth/auth";
import { createAttemptStore, type AttemptStore } from "@/server/auth/rate-limit";
import { createSessions, type Sessions } from "@/server/auth/sessions";
import { createOutboxSignal, startOutboxTail, type OutboxTail } from "@/server/outbox/tail";
import type { OutboxEvent } from "@/server/outbox/read";
import { createSecretBox, type SecretBox } from "@/server/webhooks/secrets";
import { startWebhooks, type WebhookService } from "@/server/webhooks/service";
import { createMetrics, type Metrics } from "@/server/metrics/metrics";
import { createRollupAccumulator, type RollupAccumulator } from "@/server/metrics/rollups";
import { createPgListener, type PgListener } from "@/server/persistence/pg/listener";
import { PgRecordStore } from "@/server/persistence/pg/pg-record-store";
import { closeDb, createDb, type Db } from "@/server/persistence/prisma";
import { SCHEMA_CHANNEL } from "@/server/persistence/schema-repo";
import type { RecordEvent, RecordEventSink, SchemaEvent, UseCaseDeps } from "@/server/usecases/deps";

export type ResolvedConfig = ServerConfig & { databaseUrl: string; auth: ServerConfig["auth"] & { secret: string } };

/** A change of who may do what, announced by PostgreSQL (prisma migration access_notifications). */
export type AccessChange =
  { kind: "membership"; userId: string; workspaceId: string; isGrant: boolean } | { kind: "session"; userId: string; token: string } | { kind: "unknown" };

export type App = {
  config: ResolvedConfig;
  db: Db;
  store: PgRecordStore;
  auth: Auth;
  /** sign-in and sign-up attempts (the auth rate limiter's counts) */
  attempts: AttemptStore;
  sessions: Sessions;
  deps: UseCaseDeps;
  /** Prometheus metrics and contention rollups; absent when TANDEM_METRICS=false */
  metrics?: Metrics;
  rollups?: RollupAccumulator;
  listener: PgListener;
  /** the live layer subscribes here once socket.io is up (rich text set by forms and the API) */
  onRecordEvent(sink: RecordEventSink): void;
  /** the live layer tells open pages when a collection's schema changes */
  onSchemaEvent(handler: (event: SchemaEvent) => void): void;
  /**
   * every committed event, in order, from the outbox. `isListened` says whether anyone here could
   * hear one now (a connected socket): when not, a commit does not wake the reader, and the timer
   * alone moves it on (a save then costs no read of the outbox).
   */
  followOutbox(onEvents: (events: OutboxEvent[]) => void, isListened?: () => boolean): Promise<OutboxTail>;
  /** seals webhook signing secrets under a key derived from the server's secret */
  secretBox: SecretBox;
  /** starts enqueuing and sending webhooks in this process */
  startWebhooks(): Promise<WebhookService>;
  webhooks(): WebhookService | undefined;
  /** access changed (the kind "unknown": notifications may have been missed, trust nothing cached) */
  onAccessChange(handler: (change: AccessChange) => void): void;
  close(): Promise<void>;
};

export async function createApp(config: ResolvedConfig): Promise<App> {
  const db = createDb(config.databaseUrl, config.database);
  const listener = createPgListener(config.databaseUrl);
  const accessHandlers: ((change: AccessChange) => void)[] = [];
  const rollups = config.metrics.isEnabled ? createRollupAccumulator(db.pool, config.metrics) : undefined;
  const metrics = config.metrics.isEnabled ? createMetrics(rollups ?? null) : undefined;
  const store = new PgRecordStore(db, metrics);
  const attempts = createAttemptStore(db.pool);
  const auth = createAuth(config, db, attempts);
  let sink: RecordEventSink | undefined;
  let tail: OutboxTail | undefined;
  let webhooks: WebhookService | undefined;
  let isListened: () => boolean = () => true;
  const signal = createOutboxSignal(db.pool, () => {
    if (isListened()) tail?.wake();
    webhooks?.wakeEnqueuer();
  });
  const committed = (event: RecordEvent) => {
    const written = event.type === "saved" ? event.changedFields.map((key) => event.record.values[key]) : Object.values(event.record.values);
    if (config.crashOnValue && written.includes(config.crashOnValue)) {
      // Tests only: die between the commit and anything after it (the outbox must still tell everyone).
      process.kill(process.pid, "SIGKILL");
    }
    try {
      signal();
      sink?.(event);
    } catch (error) {
      // Nothing after the commit may undo or fail it.
      console.error("after-commit work failed", { type: event.type, recordId: event.record.id, error });
    }
  };
  let schemaSink: ((event: SchemaEvent) => void) | undefined;
  const schemaChanged = (event: SchemaEvent) => {
    try {
      schemaSink?.(event);
    } catch (error) {
      console.error("telling pages about a schema change failed", { collectionId: event.collectionId, error });
    }
  };
  const sessions = createSessions(auth);
  const secretBox = createSecretBox(config.auth.secret);
  const announce = (change: AccessChange) => {
    if (change.kind === "session") sessions.forget(change.token);
    if (change.kind === "unknown") sessions.forgetAll();
    for (const handler of accessHandlers) handler(change);
  };
  await listener.subscribe("tandem_access", (payload) => announce(parseAccessChange(payload)));
  // A schema version committed by any process: drop this process's cached shapes, tell its sockets.
  await listener.subscribe(SCHEMA_CHANNEL, (payload) => {
    const event = parseSchemaEvent(payload);
    if (!event) return;
    store.forgetShapes(event.collectionId);
    schemaChanged(event);
  });
  listener.onReconnect(() => {
    announce({ kind: "unknown" });
    // Schema notices may have been missed while away: no cached shape is trusted.
    store.forgetShapes();
  });
  return {
    config,
    db,
    store,
    auth,
    attempts,
    sessions,
    deps: { db, store, committed, observe: metrics, importLeaseMs: config.importLeaseMs },
    metrics,
    rollups,
    listener,
    onRecordEvent(next) {
      sink = next;
    },
    onSchemaEvent(next) {
      schemaSink = next;
    },
    secretBox,
    async startWebhooks() {
      webhooks = await startWebhooks({
        databaseUrl: config.databaseUrl,
        pool: db.pool,
        listener,
        box: secretBox,
        allowPrivate: config.webhooksAllowPrivate,
        ...config.webhooks,
        pollMs: config.outboxPollMs,
        onDelivery: metrics && ((isOk: boolean) => metrics.webhookDelivery(isOk)),
      });
      return webhooks;
    },
    webhooks: () => webhooks,
    async followOutbox(onEvents, listened) {
      if (listened) isListened = listened;
      const observed = metrics
        ? (events: OutboxEvent[]) => {
            const now = Date.now();
            for (const event of events) metrics.outboxLag((now - Date.parse(event.createdAt)) / 1000);
            return onEvents(events);
          }
        : onEvents;
      tail = await startOutboxTail({ pool: db.pool, listener, onEvents: observed, start: "now", pollMs: config.outboxPollMs, isWanted: () => isListened() });
      return tail;
    },
    onAccessChange(handler) {
      accessHandlers.push(handler);
    },
    close: async () => {
      tail?.close();
      await webhooks?.close();
      await rollups?.close();
      await listener.close();
      await closeDb(db);
    },
  };
}

function parseSchemaEvent(payload: string): SchemaEvent | null {
  try {
    const value = JSON.parse(payload) as SchemaEvent;
    if (typeof value.collectionId === "string" && typeof value.version === "number" && typeof value.by?.id === "string") return value;
  } catch {
    // fall through
  }
  return null;
}

function parseAccessChange(payload: string): AccessChange {
  try {
    const value = JSON.parse(payload) as Record<string, unknown>;
    if (value.kind === "session" && typeof value.userId === "string" && typeof value.token === "string") {
      return { kind: "session", userId: value.userId, token: value.token };
    }
    if (value.kind === "membership" && typeof value.userId === "string" && typeof value.workspaceId === "string") {
      return { kind: "membership", userId: value.userId, workspaceId: value.workspaceId, isGrant: value.op === "INSERT" };
    }
  } catch {
    // fall through: an unreadable notice means something changed that we cannot place
  }
  return { kind: "unknown" };
}
