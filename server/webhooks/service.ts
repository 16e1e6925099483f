// The webhook machinery of one process. The enqueuer turns outbox events into deliveries: one
// process at a time does it (it holds a PostgreSQL advisory lock on a connection of its own; when
// that process dies, the lock goes with its connection and another takes over from the stored
// cursor, and a delivery enqueued twice is one row). Every process runs a worker that claims due
// deliveries, sends them, and settles each attempt: delivered, retried later (D4), or failed,
// which disables the endpoint (D8).
import pg from "pg";
import { settled } from "@/lib/outbox-cursor";
import { retryDelayMs, signatureHeader } from "@/lib/webhooks";
import { OUTBOX_CHANNEL, startOutboxTail, type OutboxTail } from "@/server/outbox/tail";
import type { PgListener } from "@/server/persistence/pg/listener";
import { claimDeliveries, enqueueDeliveries, markDelivered, markFailed, pruneEvents, releaseStranded, type Claimed } from "./queue";
import { sign, type SecretBox } from "./secrets";
import { postWebhook } from "./send";

export type WebhookOptions = {
  databaseUrl: string;
  pool: pg.Pool;
  listener: PgListener;
  box: SecretBox;
  allowPrivate: boolean;
  timeoutMs: number;
  concurrency: number;
  /** tests: retry waits divided by this */
  retryDivisor: number;
  pollMs: number;
  log?: (message: string, error?: unknown) => void;
  /** every attempt's result (server/metrics) */
  onDelivery?: (isOk: boolean) => void;
};

export type WebhookService = {
  /** outbox events may be waiting (a write committed here) */
  wakeEnqueuer(): void;
  /** an endpoint was added here: commits wake the enqueuer from now on (other processes learn it within a poll) */
  endpointsChanged(): void;
  /** deliveries may be due (enqueued, redelivered, an endpoint enabled) */
  wakeWorker(): void;
  isEnqueuer(): boolean;
  close(): Promise<void>;
};

const LOCK_KEY = "tandem:webhooks:enqueuer";
const CURSOR = "webhooks";

export async function startWebhooks(options: WebhookOptions): Promise<WebhookService> {
  const { pool, log = console.error } = options;
  let isClosed = false;
  let lockClient: pg.Client | null = null;
  let tail: OutboxTail | null = null;
  let storedSeq = -1n;
  let storedAt = 0;
  let inFlight = 0;
  let isClaiming = false;
  let isClaimAgain = false;
  let lastErrorAt = 0;
  const quietLog = (message: string, error: unknown) => {
    if (Date.now() - lastErrorAt > 60_000) log(message, error);
    lastErrorAt = Date.now();
  };

  // --- the enqueuer: whoever holds the lock follows the outbox from the stored cursor ---
  const dropLeadership = () => {
    tail?.close();
    tail = null;
    const client = lockClient;
    lockClient = null;
    void client?.end().catch(() => {});
  };

  const tryLead = async () => {
    if (isClosed || lockClient) return;
    const client = new pg.Client({ connectionString: options.databaseUrl, keepAlive: true, connectionTimeoutMillis: 5_000 });
    client.on("error", () => dropLeadership());
    client.on("end", () => {
      if (lockClient === client) dropLeadership();
    });
    try {
      await client.connect();
      const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok`, [LOCK_KEY]);
      if (!rows[0]?.ok || isClosed) {
        await client.end();
        return;
      }
      lockClient = client;
      const { rows: cursor } = await pool.query<{ seq: string }>(`SELECT seq::text FROM outbox_cursors WHERE name = $1`, [CURSOR]);
      const start = BigInt(cursor[0]?.seq ?? "0");
      storedSeq = start;
      tail = await startOutboxTail({
        pool,
        start: { cursor: start },
        isDurable: true,
        pollMs: options.pollMs,
        filter: "webhooks",
        // Most rows are only numbers to this reader (no endpoint wants them): larger reads.
        batch: 2000,
        onEvents: async (events) => {
          if ((await enqueueDeliveries(pool, events)) > 0) wakeWorker();
        },
        onAdvance: async (state) => {
          const done = settled(state);
          // Stored at most once a second: a cursor stored a little behind only means a restarted
          // enqueuer offers a few events again, which enqueuing ignores (one row per endpoint and event).
          if (done === storedSeq || Date.now() - storedAt < 1000) return;
          storedAt = Date.now();
          await pool.query(`UPDATE outbox_cursors SET seq = $2, "updatedAt" = now() WHERE name = $1`, [CURSOR, done.toString()]);
          storedSeq = done;
        },
        log,
      });
    } catch (error) {
      quietLog("the webhook enqueuer could not start; retrying", error);
      if (lockClient === client) dropLeadership();
      else await client.end().catch(() => {});
    }
  };

  // --- the worker: every process sends what is due ---
  // Deliveries are claimed a batch at a time (up to twice the concurrency, the lease covering
  // the wait) and settled a batch at a time (those that finished while the last settlement ran):
  // one claim and one settlement per delivery bounded the rate at a few hundred a second.
  const leaseMs = 2 * options.timeoutMs + 30_000;
  const ready: Claimed[] = [];
  const settling: { id: string; status: number; durationMs: number; done: () => void }[] = [];
  let isSettling = false;
  const settle = () => {
    if (isSettling || settling.length === 0) return;
    isSettling = true;
    const batch = settling.splice(0);
    markDelivered(pool, batch)
      .catch((error: unknown) => quietLog("webhook deliveries could not be settled", error)) // their leases run out: sent again
      .finally(() => {
        isSettling = false;
        for (const item of batch) item.done();
        settle();
        // Their records' next versions may be due now.
        wakeWorker();
      });
  };
  const delivered = (id: string, status: number, durationMs: number) =>
    new Promise<void>((done) => {
      settling.push({ id, status, durationMs, done });
      settle();
    });

  const send = async (delivery: Claimed) => {
    try {
      const timestamp = Math.floor(Date.now() / 1000);
      const secrets = [options.box.open(delivery.secret)];
      if (delivery.previousSecret && delivery.previousSecretUntil && delivery.previousSecretUntil > new Date())
        secrets.push(options.box.open(delivery.previousSecret));
      const headers = {
        "tandem-event-id": delivery.eventId,
        "tandem-event-type": delivery.type,
        "tandem-timestamp": String(timestamp),
        "tandem-signature": signatureHeader(secrets.map((secret) => sign(secret, timestamp, delivery.body))),
        "tandem-delivery-attempt": String(delivery.attempts),
      };
      const attempt = await postWebhook(delivery.url, delivery.body, headers, { timeoutMs: options.timeoutMs, allowPrivate: options.allowPrivate });
      options.onDelivery?.(attempt.error === null && attempt.status !== null);
      if (attempt.error === null && attempt.status !== null) {
        await delivered(delivery.id, attempt.status, attempt.durationMs);
        return;
      }
      const delay = retryDelayMs(delivery.attempts);
      const wait = delay === null ? null : Math.floor(delay / options.retryDivisor);
      await markFailed(pool, delivery, attempt, wait);
      if (wait !== null && wait < options.pollMs) setTimeout(wakeWorker, wait + 5).unref();
    } catch (error) {
      // The lease runs out and the delivery is claimed again.
      quietLog("a webhook delivery could not be settled", error);
    }
  };

  const pump = () => {
    while (inFlight < options.concurrency && ready.length > 0 && !isClosed) {
      const delivery = ready.shift()!;
      inFlight++;
      void send(delivery).finally(() => {
        inFlight--;
        pump();
        if (ready.length === 0) wakeWorker();
      });
    }
  };

  const claim = async () => {
    do {
      isClaimAgain = false;
      // Refilled when half the stock is gone, not after every attempt.
      const room = 2 * options.concurrency - inFlight - ready.length;
      if (room < options.concurrency / 2 || isClosed) return;
      const claimed = await claimDeliveries(pool, room, leaseMs);
      ready.push(...claimed);
      pump();
      if (claimed.length === room) isClaimAgain = true;
    } while (isClaimAgain);
  };

  function wakeWorker() {
    if (isClosed) return;
    if (isClaiming) {
      isClaimAgain = true;
      return;
    }
    isClaiming = true;
    claim()
      .catch((error: unknown) => quietLog("claiming webhook deliveries failed; retrying", error))
      .finally(() => {
        isClaiming = false;
      });
  }

  // Whether any endpoint exists: without one, commits need not wake the enqueuer (its timer still
  // reads the outbox and moves the cursor on, so an endpoint added meanwhile misses nothing).
  let hasEndpoints = true;
  const refreshEndpoints = async () => {
    try {
      const { rows } = await pool.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM webhook_endpoints) AS any`);
      hasEndpoints = rows[0]?.any ?? true;
    } catch {
      hasEndpoints = true;
    }
  };
  const timers = [
    setInterval(() => void tryLead(), options.pollMs),
    setInterval(() => void refreshEndpoints(), options.pollMs),
    setInterval(wakeWorker, options.pollMs),
    setInterval(() => void pruneEvents(pool).catch((error: unknown) => quietLog("pruning old events failed", error)), 10 * 60 * 1000),
    setInterval(
      () =>
        void releaseStranded(pool)
          .then((released) => {
            if (released > 0) {
              log(`${released} webhook deliveries were left waiting behind nothing; released`);
              wakeWorker();
            }
          })
          .catch((error: unknown) => quietLog("releasing waiting webhook deliveries failed", error)),
      60_000,
    ),
  ];
  for (const timer of timers) timer.unref();
  await options.listener.subscribe(OUTBOX_CHANNEL, () => {
    if (hasEndpoints) tail?.wake();
  });
  await refreshEndpoints();
  await tryLead();
  wakeWorker();

  return {
    // Without any endpoint, a commit wakes nothing: the timer moves the cursor on.
    wakeEnqueuer: () => {
      if (hasEndpoints) tail?.wake();
    },
    endpointsChanged: () => {
      hasEndpoints = true;
      tail?.wake();
    },
    wakeWorker,
    isEnqueuer: () => lockClient !== null,
    async close() {
      isClosed = true;
      for (const timer of timers) clearInterval(timer);
      tail?.close();
      tail = null;
      await lockClient?.end().catch(() => {});
      lockClient = null;
      // Attempts in flight finish on their own (their leases cover them if we stop first).
    },
  };
}
