// The composition root: everything a running Tandem holds, built once from the config and
// passed down. Nothing below reads the environment or reaches for a global.
import type { ServerConfig } from "@/server/config";
import { createAuth, createSessions, type Auth, type Sessions } from "@/server/auth/auth";
import { createAttemptStore, type AttemptStore } from "@/server/auth/rate-limit";
import { PgRecordStore } from "@/server/persistence/pg/pg-record-store";
import { closeDb, createDb, type Db } from "@/server/persistence/prisma";
import type { RecordEvent, RecordEventSink, UseCaseDeps } from "@/server/usecases/deps";

export type ResolvedConfig = ServerConfig & { databaseUrl: string; auth: ServerConfig["auth"] & { secret: string } };

export type App = {
  config: ResolvedConfig;
  db: Db;
  store: PgRecordStore;
  auth: Auth;
  /** sign-in and sign-up attempts (the auth rate limiter's counts) */
  attempts: AttemptStore;
  sessions: Sessions;
  deps: UseCaseDeps;
  /** the live layer subscribes here once socket.io is up */
  onRecordEvent(sink: RecordEventSink): void;
  close(): Promise<void>;
};

export function createApp(config: ResolvedConfig): App {
  const db = createDb(config.databaseUrl, config.database);
  const store = new PgRecordStore(db);
  const attempts = createAttemptStore(db.pool);
  const auth = createAuth(config, db, attempts);
  let sink: RecordEventSink | undefined;
  const publish = (event: RecordEvent) => {
    try {
      sink?.(event);
    } catch (error) {
      // A broken broadcast must never undo or fail a committed save.
      console.error("record event publish failed", { type: event.type, recordId: event.record.id, error });
    }
  };
  return {
    config,
    db,
    store,
    auth,
    attempts,
    sessions: createSessions(auth),
    deps: { db, store, publish },
    onRecordEvent(next) {
      sink = next;
    },
    close: () => closeDb(db),
  };
}
