// A reader that follows the outbox as it grows and hands each committed event over once, in
// order: woken at once by a write in this process, by PostgreSQL's notification of a write in
// another one (a hint only), and by a timer, so that a lost notification only delays.
import type pg from "pg";
import { advance, startCursor, type CursorState } from "@/lib/outbox-cursor";
import type { PgListener } from "@/server/persistence/pg/listener";
import { readOutbox, readRecentSeqs, type OutboxEvent, type OutboxFilter } from "./read";

export const OUTBOX_CHANNEL = "tandem_outbox";

export type OutboxTail = {
  /** read now (or right after the read in flight) */
  wake(): void;
  /** the number of the last event handed over, for tests and metrics */
  position(): bigint;
  close(): void;
};

export type TailOptions = {
  pool: pg.Pool;
  listener?: PgListener;
  /**
   * events in order. A live reader (sockets) logs a throw and moves on; a durable one (`isDurable`)
   * reads the same events again until they are taken.
   */
  onEvents: (events: OutboxEvent[]) => void | Promise<void>;
  isDurable?: boolean;
  /** where to start: the outbox as it is now (a live reader) or a stored cursor (a durable one) */
  start: "now" | { cursor: bigint };
  pollMs?: number;
  batch?: number;
  /** called after every read with the new state (a durable reader stores `settled(state)`) */
  onAdvance?: (state: CursorState) => void | Promise<void>;
  log?: (message: string, error?: unknown) => void;
  /**
   * whether anyone wants the events now (default: always): another process's notification wakes
   * this reader only then, and a read while nobody does moves the cursor on with numbers only
   */
  isWanted?: () => boolean;
  /** which events come whole (the others are only numbers, for the cursor) */
  filter?: OutboxFilter;
};

/** How far back a live reader looks at its start for transactions still running. */
const START_WINDOW = 1000;

export async function startOutboxTail(options: TailOptions): Promise<OutboxTail> {
  const { pool, onEvents, pollMs = 1000, batch = 500, log = console.error } = options;
  let state: CursorState;
  if (options.start === "now") {
    const recent = await readRecentSeqs(pool, START_WINDOW);
    state = advance(startCursor(recent.from), recent.read).state;
  } else state = startCursor(options.start.cursor);

  let isRunning = false;
  let isAgain = false;
  let isClosed = false;
  let lastErrorAt = 0;

  const runOnce = async (): Promise<boolean> => {
    const isWanted = options.isWanted?.() ?? true;
    const { read, events } = await readOutbox(pool, state, batch, isWanted ? options.filter : "none");
    // Someone came while only numbers were read: the same events again, whole, before the cursor moves.
    if (!isWanted && (options.isWanted?.() ?? true)) return true;
    const next = advance(state, read);
    const fresh = new Set(next.fresh);
    const out = events.filter((e) => fresh.has(e.seq));
    if (out.length > 0) {
      try {
        await onEvents(out);
      } catch (error) {
        if (options.isDurable) throw error;
        log("handing outbox events over failed", error);
      }
    }
    state = next.state;
    await options.onAdvance?.(state);
    return read.isTruncated;
  };

  const wake = () => {
    if (isClosed) return;
    if (isRunning) {
      isAgain = true;
      return;
    }
    isRunning = true;
    void (async () => {
      try {
        do {
          isAgain = false;
          if (await runOnce()) isAgain = true;
        } while (isAgain && !isClosed);
      } catch (error) {
        // The database is away: the timer tries again. Said once a minute, not once a second.
        if (Date.now() - lastErrorAt > 60_000) log("reading the outbox failed; retrying", error);
        lastErrorAt = Date.now();
      } finally {
        isRunning = false;
      }
    })();
  };

  const timer = setInterval(wake, pollMs);
  timer.unref();
  if (options.listener) {
    await options.listener.subscribe(OUTBOX_CHANNEL, () => {
      if (options.isWanted?.() ?? true) wake();
    });
    options.listener.onReconnect(wake);
  }
  wake();
  return {
    wake,
    position: () => state.cursor,
    close() {
      isClosed = true;
      clearInterval(timer);
    },
  };
}

/**
 * After a write commits in this process: read at once here, and tell the other processes (a
 * notification at most every `everyMs`, sent outside the write's transaction, since a NOTIFY
 * inside it would serialise every commit on PostgreSQL's notification lock).
 */
export function createOutboxSignal(pool: pg.Pool, wakeLocal: () => void, everyMs = 10) {
  let timer: NodeJS.Timeout | null = null;
  return () => {
    wakeLocal();
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      pool.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`).catch(() => {
        // The others poll: a lost hint only delays them.
      });
    }, everyMs);
    timer.unref();
  };
}
