// One LISTEN connection per process for PostgreSQL notifications (access changes, outbox wake-ups).
// It reconnects with back-off; after a reconnect every subscriber hears `onReconnect`, since
// notifications sent while it was away are lost and caches built on them must be dropped.
import pg from "pg";

type Handler = (payload: string) => void;

export type PgListener = {
  subscribe(channel: string, handler: Handler): Promise<void>;
  onReconnect(handler: () => void): void;
  close(): Promise<void>;
};

const MAX_BACKOFF_MS = 5_000;

export function createPgListener(url: string, log: (message: string, error?: unknown) => void = console.error): PgListener {
  const handlers = new Map<string, Handler[]>();
  const reconnected: (() => void)[] = [];
  let client: pg.Client | null = null;
  let isClosed = false;
  let connecting: Promise<void> | null = null;
  let attempt = 0;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, keepAlive: true, connectionTimeoutMillis: 5_000 });
    next.on("notification", (message) => {
      for (const handler of handlers.get(message.channel) ?? []) {
        try {
          handler(message.payload ?? "");
        } catch (error) {
          log(`notification handler for ${message.channel} failed`, error);
        }
      }
    });
    next.on("error", (error) => {
      if (!isClosed) log("database listener connection failed; reconnecting", error);
    });
    next.on("end", () => {
      if (client === next) client = null;
      if (!isClosed) scheduleReconnect();
    });
    await next.connect();
    for (const channel of handlers.keys()) await next.query(`LISTEN ${quote(channel)}`);
    client = next;
    if (attempt > 0) for (const handler of reconnected) handler();
    attempt = 0;
  };

  const scheduleReconnect = () => {
    if (connecting || isClosed) return;
    attempt++;
    const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** attempt) * Math.random();
    connecting = new Promise<void>((resolve) => setTimeout(resolve, delay)).then(async () => {
      connecting = null;
      if (isClosed) return;
      await connect().catch((error: unknown) => {
        log("database listener could not reconnect", error);
        scheduleReconnect();
      });
    });
  };

  return {
    async subscribe(channel, handler) {
      const list = handlers.get(channel);
      if (list) list.push(handler);
      else handlers.set(channel, [handler]);
      if (!client && !connecting) {
        connecting = connect().finally(() => (connecting = null));
        await connecting;
      } else if (client && !list) await client.query(`LISTEN ${quote(channel)}`);
    },
    onReconnect(handler) {
      reconnected.push(handler);
    },
    async close() {
      isClosed = true;
      await client?.end().catch(() => {});
      client = null;
    },
  };
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
