// Per-minute contention counts (lib/contention.ts), added up in memory and written in batches to
// contention_rollups every few seconds and at shutdown. Each batch adds to what is there (ON
// CONFLICT DO UPDATE), so several processes' counts of one minute sum; the record's collection and
// workspace are read in the same statement, never taken from a caller.
import type pg from "pg";
import { addCounts, emptyCounts, minuteOf, type RollupCounts, type RollupRow } from "@/lib/contention";

/** Keys kept in memory at most; past it, counts of new keys are dropped (and said once per flush). */
const MAX_KEYS = 50_000;
const BATCH = 1_000;

export type RollupAccumulator = {
  add(recordId: string, field: string, counts: Partial<RollupCounts>, at?: number): void;
  /** writes what is pending; resolves when it is stored */
  flush(): Promise<void>;
  /** stops the timer after a last flush */
  close(): Promise<void>;
  pending(): number;
};

const UPSERT_SQL = `
  INSERT INTO contention_rollups ("workspaceId", "collectionId", "recordId", field, minute, saves, refused, "autoMerged", limited,
                                  "numberChanges", "unitChanges", retries, "lockWaits", "lockWaitMs", latency)
  SELECT c."workspaceId", r."collectionId", r.id, x.field, x.minute, x.saves, x.refused, x."autoMerged", x.limited,
         x."numberChanges", x."unitChanges", x.retries, x."lockWaits", x."lockWaitMs", x.latency
  FROM jsonb_to_recordset($1::jsonb) AS x("recordId" uuid, field text, minute timestamptz, saves int, refused int, "autoMerged" int,
       limited int, "numberChanges" int, "unitChanges" int, retries int, "lockWaits" int, "lockWaitMs" float8, latency int[])
  JOIN records r ON r.id = x."recordId"
  JOIN collections c ON c.id = r."collectionId"
  ORDER BY c."workspaceId", r."collectionId", r.id, x.field, x.minute
  ON CONFLICT ("workspaceId", "collectionId", "recordId", field, minute) DO UPDATE SET
    saves = contention_rollups.saves + EXCLUDED.saves,
    refused = contention_rollups.refused + EXCLUDED.refused,
    "autoMerged" = contention_rollups."autoMerged" + EXCLUDED."autoMerged",
    limited = contention_rollups.limited + EXCLUDED.limited,
    "numberChanges" = contention_rollups."numberChanges" + EXCLUDED."numberChanges",
    "unitChanges" = contention_rollups."unitChanges" + EXCLUDED."unitChanges",
    retries = contention_rollups.retries + EXCLUDED.retries,
    "lockWaits" = contention_rollups."lockWaits" + EXCLUDED."lockWaits",
    "lockWaitMs" = contention_rollups."lockWaitMs" + EXCLUDED."lockWaitMs",
    latency = ARRAY(SELECT COALESCE(a, 0) + COALESCE(b, 0)
                    FROM unnest(contention_rollups.latency, EXCLUDED.latency) WITH ORDINALITY AS t(a, b, i) ORDER BY i)`;

export function createRollupAccumulator(pool: pg.Pool, options: { flushMs: number; retentionDays: number }): RollupAccumulator {
  let counts = new Map<string, { recordId: string; field: string; minute: string; counts: RollupCounts }>();
  let dropped = 0;
  let running: Promise<void> = Promise.resolve();
  let lastPrune = 0;

  /** `mayPrune`: not at shutdown, when the database may already be going away with the process. */
  const writeOut = async (mayPrune: boolean) => {
    if (dropped > 0) {
      console.warn(`contention rollups: ${dropped} counts dropped, more than ${MAX_KEYS} keys were pending`);
      dropped = 0;
    }
    const taken = [...counts.values()];
    counts = new Map();
    for (let i = 0; i < taken.length; i += BATCH) {
      const rows = taken.slice(i, i + BATCH).map(({ recordId, field, minute, counts: c }) => ({ recordId, field, minute, ...c }));
      try {
        await pool.query(UPSERT_SQL, [JSON.stringify(rows)]);
      } catch (error) {
        console.error("contention rollups: a batch could not be written and is dropped", { rows: rows.length, error });
      }
    }
    if (mayPrune && Date.now() - lastPrune > 60 * 60_000) {
      lastPrune = Date.now();
      await pruneRollups(pool, options.retentionDays).catch((error: unknown) => console.error("contention rollups: prune failed", error));
    }
  };
  const flush = (mayPrune = true) => (running = running.then(() => writeOut(mayPrune)));
  const timer = setInterval(() => void flush(), options.flushMs);
  timer.unref();

  return {
    add(recordId, field, more, at = Date.now()) {
      const minute = minuteOf(at);
      const key = `${recordId}\u0000${field}\u0000${minute}`;
      let entry = counts.get(key);
      if (!entry) {
        if (counts.size >= MAX_KEYS) {
          dropped++;
          return;
        }
        entry = { recordId, field, minute, counts: emptyCounts() };
        counts.set(key, entry);
      }
      addCounts(entry.counts, more);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush(false);
    },
    pending: () => counts.size,
  };
}

/** Drops minutes older than the retention period; returns how many rows went. */
export async function pruneRollups(pool: pg.Pool, retentionDays: number): Promise<number> {
  const { rowCount } = await pool.query(`DELETE FROM contention_rollups WHERE minute < now() - make_interval(days => $1::int)`, [retentionDays]);
  return rowCount ?? 0;
}

const SUMS = `sum(saves)::int AS saves, sum(refused)::int AS refused, sum("autoMerged")::int AS "autoMerged", sum(limited)::int AS limited,
  sum("numberChanges")::int AS "numberChanges", sum("unitChanges")::int AS "unitChanges", sum(retries)::int AS retries,
  sum("lockWaits")::int AS "lockWaits", sum("lockWaitMs")::float8 AS "lockWaitMs"`;

/**
 * A workspace's record rows since a moment, summed per minute over its records (latency bucket by
 * bucket): one row a minute, whatever the number of records.
 */
export async function readMinuteRows(pool: pg.Pool, workspaceId: string, since: Date): Promise<RollupRow[]> {
  const { rows } = await pool.query<RollupRow & { minute: Date }>(
    `WITH sums AS (
       SELECT minute, ${SUMS} FROM contention_rollups
       WHERE "workspaceId" = $1::uuid AND minute >= $2::timestamptz AND field = '' GROUP BY minute
     ), buckets AS (
       SELECT minute, i, sum(n)::int AS n
       FROM contention_rollups CROSS JOIN unnest(latency) WITH ORDINALITY AS b(n, i)
       WHERE "workspaceId" = $1::uuid AND minute >= $2::timestamptz AND field = '' GROUP BY minute, i
     )
     SELECT s.*, '' AS field, '' AS "recordId",
            COALESCE((SELECT array_agg(b.n ORDER BY b.i) FROM buckets b WHERE b.minute = s.minute), '{}') AS latency
     FROM sums s ORDER BY s.minute`,
    [workspaceId, since],
  );
  return rows.map((row) => ({ ...row, minute: new Date(row.minute).toISOString() }));
}

/** A workspace's counts since a moment, summed per record and field (the record's own: field ""). */
export async function readTotals(pool: pg.Pool, workspaceId: string, since: Date): Promise<RollupRow[]> {
  const { rows } = await pool.query<RollupRow>(
    `SELECT "recordId", field, ${SUMS}, '{}'::int[] AS latency, $2::timestamptz::text AS minute
     FROM contention_rollups WHERE "workspaceId" = $1::uuid AND minute >= $2::timestamptz
     GROUP BY "recordId", field`,
    [workspaceId, since],
  );
  return rows;
}
