// Reading the outbox: the events after a cursor (or filling its holes), each with its revision,
// record, collection and author, under one snapshot whose xmin/xmax the cursor needs (lib/outbox-cursor.ts).
import type pg from "pg";
import type { CursorState, Read } from "@/lib/outbox-cursor";
import { holesToAsk } from "@/lib/outbox-cursor";

/** One committed version, as the outbox tells it. */
export type OutboxEvent = {
  seq: bigint;
  eventId: string;
  recordId: string;
  collectionId: string;
  workspaceId: string;
  version: number;
  /** the revision's kind: create | save | merge | restore | delete | undelete */
  kind: string;
  author: { id: string; name: string };
  /** per field {from, to} (and `add` for counter operations) */
  changes: Record<string, { from: unknown; to: unknown; add?: number }>;
  /** the record's values after this version */
  snapshot: Record<string, unknown>;
  meta: Record<string, unknown> | null;
  createdAt: string;
};

const READ_SQL = `
  SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, pg_snapshot_xmax(pg_current_snapshot())::text AS xmax,
         COALESCE((SELECT json_agg(e ORDER BY e.n) FROM (
           SELECT o.seq AS n, o.seq::text AS seq, o."eventId", v."recordId", r."collectionId", c."workspaceId", v.version, v.kind,
                  json_build_object('id', u.id, 'name', u.name) AS author, v.changes, v.snapshot, v.meta,
                  to_char(v."createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"
           -- Two index ranges, not "seq > $1 OR seq = ANY ($2)": a prepared statement's generic plan
           -- for the OR filters the whole outbox (53 ms at 200,000 rows, against 0.25 ms).
           FROM ((SELECT seq, "eventId", "revisionId" FROM outbox WHERE seq > $1::bigint ORDER BY seq LIMIT $3)
                 UNION ALL
                 (SELECT seq, "eventId", "revisionId" FROM outbox WHERE seq = ANY ($2::bigint[]) AND seq <= $1::bigint)) o
           JOIN revisions v ON v.id = o."revisionId"
           JOIN records r ON r.id = v."recordId"
           JOIN collections c ON c.id = r."collectionId"
           JOIN users u ON u.id = v."authorId"
           ORDER BY o.seq
           LIMIT $3) e), '[]'::json) AS events`;

/** Only the numbers, for a reader that starts where the outbox is now and must learn its holes. */
const SEQS_SQL = `
  SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, pg_snapshot_xmax(pg_current_snapshot())::text AS xmax,
         COALESCE((SELECT array_agg(seq::text ORDER BY seq) FROM outbox WHERE seq > $1::bigint), '{}') AS seqs`;

type Row = { xmin: string; xmax: string; events: (Omit<OutboxEvent, "seq"> & { seq: string; n?: number })[] };

export async function readOutbox(pool: pg.Pool, state: CursorState, limit: number): Promise<{ read: Read; events: OutboxEvent[] }> {
  const holes = holesToAsk(state).map(String);
  const { rows } = await pool.query<Row>({ name: "outbox_read", text: READ_SQL, values: [state.cursor.toString(), holes, limit] });
  const row = rows[0]!;
  const events = row.events.map(({ n: _n, ...e }) => ({ ...e, seq: BigInt(e.seq) }));
  return {
    events,
    read: { seqs: events.map((e) => e.seq), isTruncated: events.length >= limit, xmin: BigInt(row.xmin), xmax: BigInt(row.xmax) },
  };
}

/** The last `window` numbers of the outbox as they are now: a new reader's start, holes included. */
export async function readRecentSeqs(pool: pg.Pool, window: number): Promise<{ from: bigint; read: Read }> {
  const { rows: top } = await pool.query<{ max: string | null }>(`SELECT max(seq)::text AS max FROM outbox`);
  const max = BigInt(top[0]?.max ?? "0");
  const from = max > BigInt(window) ? max - BigInt(window) : 0n;
  const { rows } = await pool.query<{ xmin: string; xmax: string; seqs: string[] }>({ text: SEQS_SQL, values: [from.toString()] });
  const row = rows[0]!;
  return { from, read: { seqs: row.seqs.map(BigInt), isTruncated: false, xmin: BigInt(row.xmin), xmax: BigInt(row.xmax) } };
}
