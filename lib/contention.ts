// Contention, measured: the per-minute counts kept for each record and field (contention_rollups),
// what the contention page draws from them, and the advice they support (lib/SPEC.md T1–T8).
// Pure: the server counts and stores, this reads.
import type { FieldDef } from "./types";

/** Upper bounds (ms) of the save-latency buckets; the last bucket holds everything slower. */
export const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] as const;

/** The counts of one record and one field in one minute; `field` "" holds the record's own counts. */
export type RollupCounts = {
  /** saves that reached the writer (record row) or that changed this field (field rows) */
  saves: number;
  /** refused as stale: the editor had to choose (412) */
  refused: number;
  /** stale saves the server merged by itself (Prefer: merge): nobody was interrupted */
  autoMerged: number;
  /** refused by a collection limit or a counter's bound */
  limited: number;
  /** changes of a number or counter field, and how many of them were ±1 */
  numberChanges: number;
  unitChanges: number;
  /** transaction retries (serialization failures, deadlocks) */
  retries: number;
  /** writes that took the row lock, and the time they spent getting it */
  lockWaits: number;
  lockWaitMs: number;
  /** save latency counts per LATENCY_BUCKETS_MS bucket, plus one overflow bucket (record rows) */
  latency: number[];
};

export type RollupRow = RollupCounts & { minute: string; recordId: string; field: string };

export const emptyCounts = (): RollupCounts => ({
  saves: 0,
  refused: 0,
  autoMerged: 0,
  limited: 0,
  numberChanges: 0,
  unitChanges: 0,
  retries: 0,
  lockWaits: 0,
  lockWaitMs: 0,
  latency: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
});

/** T1: counts add field by field, latency bucket by bucket (how several processes' counts meet). */
export function addCounts(into: RollupCounts, more: Partial<RollupCounts>): RollupCounts {
  for (const key of ["saves", "refused", "autoMerged", "limited", "numberChanges", "unitChanges", "retries", "lockWaits", "lockWaitMs"] as const) {
    into[key] += more[key] ?? 0;
  }
  (more.latency ?? []).forEach((n, i) => {
    into.latency[i] = (into.latency[i] ?? 0) + n;
  });
  return into;
}

/** T2: the bucket a latency falls in: the first whose upper bound is at least it, else the overflow. */
export function latencyBucket(ms: number): number {
  const i = LATENCY_BUCKETS_MS.findIndex((bound) => ms <= bound);
  return i === -1 ? LATENCY_BUCKETS_MS.length : i;
}

let lastMinute = { minute: NaN, iso: "" };

/** T3: the minute a moment belongs to, as an ISO string (seconds and below dropped). */
export function minuteOf(at: Date | number): string {
  const ms = typeof at === "number" ? at : at.getTime();
  const minute = Math.floor(ms / 60_000);
  // Every save asks for the minute it is in, so the last one answered is kept.
  if (minute !== lastMinute.minute) lastMinute = { minute, iso: new Date(minute * 60_000).toISOString() };
  return lastMinute.iso;
}

/**
 * T4: the share of concurrent edits that never interrupted anyone: of the saves that found the
 * record moved on, those the server merged by itself. null when there were none.
 */
export function uninterruptedShare(counts: Pick<RollupCounts, "refused" | "autoMerged">): number | null {
  const concurrent = counts.refused + counts.autoMerged;
  return concurrent === 0 ? null : counts.autoMerged / concurrent;
}

/**
 * T5: a percentile (0 < q ≤ 1) from bucket counts: the bucket where the running count reaches q of
 * the total, interpolated linearly inside it (its lower bound the previous bucket's upper bound);
 * the overflow bucket answers its lower bound. null when the buckets are empty.
 */
export function percentileFromBuckets(counts: readonly number[], q: number, bounds: readonly number[] = LATENCY_BUCKETS_MS): number | null {
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = q * total;
  let running = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i] ?? 0;
    if (n > 0 && running + n >= rank) {
      const lower = i === 0 ? 0 : bounds[i - 1]!;
      if (i >= bounds.length) return lower;
      return lower + ((bounds[i]! - lower) * (rank - running)) / n;
    }
    running += n;
  }
  return bounds[bounds.length - 1]!;
}

export type MinutePoint = {
  minute: string;
  saves: number;
  refused: number;
  autoMerged: number;
  limited: number;
  retries: number;
  lockWaitMs: number;
  p50: number | null;
  p99: number | null;
  uninterrupted: number | null;
};

/**
 * T6: the chart's series: one point per minute from `from` (inclusive) for `minutes` minutes, every
 * minute present (zeros where nothing happened), from the record rows (`field` "") only, so a save
 * that changed three fields counts once.
 */
export function minuteSeries(rows: readonly RollupRow[], from: string, minutes: number): MinutePoint[] {
  const start = new Date(minuteOf(new Date(from))).getTime();
  const byMinute = new Map<string, RollupCounts>();
  for (const row of rows) {
    if (row.field !== "") continue;
    const minute = minuteOf(new Date(row.minute));
    addCounts(byMinute.get(minute) ?? byMinute.set(minute, emptyCounts()).get(minute)!, row);
  }
  return Array.from({ length: minutes }, (_, i) => {
    const minute = new Date(start + i * 60_000).toISOString();
    const c = byMinute.get(minute) ?? emptyCounts();
    return {
      minute,
      saves: c.saves,
      refused: c.refused,
      autoMerged: c.autoMerged,
      limited: c.limited,
      retries: c.retries,
      lockWaitMs: c.lockWaits === 0 ? 0 : c.lockWaitMs / c.lockWaits,
      p50: percentileFromBuckets(c.latency, 0.5),
      p99: percentileFromBuckets(c.latency, 0.99),
      uninterrupted: uninterruptedShare(c),
    };
  });
}

export type Hotspot = {
  recordId: string;
  field: string;
  saves: number;
  refused: number;
  autoMerged: number;
  limited: number;
  numberChanges: number;
  unitChanges: number;
};

/**
 * T7: rows summed per record (`field` "") and per record and field, hottest first: by refusals plus
 * auto-merges (the saves that met another), then by saves; at most `limit` of each.
 */
export function hotspots(rows: readonly RollupRow[], limit = 10): { records: Hotspot[]; fields: Hotspot[] } {
  const sums = new Map<string, Hotspot>();
  for (const row of rows) {
    const id = `${row.recordId}\u0000${row.field}`;
    const h =
      sums.get(id) ??
      sums.set(id, { recordId: row.recordId, field: row.field, saves: 0, refused: 0, autoMerged: 0, limited: 0, numberChanges: 0, unitChanges: 0 }).get(id)!;
    h.saves += row.saves;
    h.refused += row.refused;
    h.autoMerged += row.autoMerged;
    h.limited += row.limited;
    h.numberChanges += row.numberChanges;
    h.unitChanges += row.unitChanges;
  }
  const heat = (h: Hotspot) => h.refused + h.autoMerged;
  const order = (a: Hotspot, b: Hotspot) => heat(b) - heat(a) || b.saves - a.saves || a.recordId.localeCompare(b.recordId) || a.field.localeCompare(b.field);
  const all = [...sums.values()];
  return {
    records: all
      .filter((h) => h.field === "" && (h.saves > 0 || heat(h) > 0))
      .sort(order)
      .slice(0, limit),
    fields: all
      .filter((h) => h.field !== "" && heat(h) + h.limited > 0)
      .sort(order)
      .slice(0, limit),
  };
}

/** The thresholds advice needs before it speaks (T8). */
export const ADVICE = {
  /** a field refused in at least this share of the saves that changed it… */
  refusedShare: 0.2,
  /** …over at least this many saves… */
  minSaves: 5,
  /** …with at least this share of its changes ±1: operations would not have conflicted */
  unitShare: 0.6,
  /** auto-merges of one field before "always ask" is offered */
  autoMerges: 20,
  /** limit refusals before they are named */
  limitHits: 1,
} as const;

export type Advice =
  | { kind: "operations"; recordId: string; field: string; refusedShare: number; saves: number; refused: number; unitShare: number; text: string }
  | { kind: "always_ask"; collectionId: string; recordId: string; field: string; autoMerged: number; isSet: boolean; text: string }
  | { kind: "limit"; field: string; hits: number; text: string };

export type AdviceContext = {
  /** each record's collection, fields, limits and a name to show */
  records: Record<string, { collectionId: string; name: string; fields: FieldDef[] }>;
  /** the period the rows cover, for the text ("in the last hour") */
  period: string;
};

const percent = (share: number) => `${Math.round(share * 100)} %`;

/**
 * T8: advice from one period's field rows, each naming its evidence:
 * - a number or counter field refused in ≥ ADVICE.refusedShare of ≥ ADVICE.minSaves saves, with
 *   ≥ ADVICE.unitShare of its changes ±1 → use the − / + buttons (operations never conflict);
 * - a field auto-merged ≥ ADVICE.autoMerges times → "always ask" is offered (isSet: it already is);
 * - a field refused by a limit or a bound ≥ ADVICE.limitHits times, summed over records → say so.
 * Fields the collection no longer has are skipped. Strongest evidence first within each kind.
 */
export function adviseFromRows(fieldRows: readonly RollupRow[], context: AdviceContext): Advice[] {
  const { fields } = hotspots(fieldRows, Number.MAX_SAFE_INTEGER);
  const advice: Advice[] = [];
  const limitHits = new Map<string, number>();
  for (const h of fields) {
    const record = context.records[h.recordId];
    const def = record?.fields.find((f) => f.key === h.field);
    if (!record || !def) continue;
    const share = h.saves === 0 ? 0 : h.refused / h.saves;
    const unitShare = h.numberChanges === 0 ? 0 : h.unitChanges / h.numberChanges;
    if ((def.type === "counter" || def.type === "number") && h.saves >= ADVICE.minSaves && share >= ADVICE.refusedShare && unitShare >= ADVICE.unitShare) {
      advice.push({
        kind: "operations",
        recordId: h.recordId,
        field: h.field,
        refusedShare: share,
        saves: h.saves,
        refused: h.refused,
        unitShare,
        text:
          `${def.label} on '${record.name}' was refused in ${percent(share)} of ${h.saves} saves ${context.period}: ` +
          `${percent(unitShare)} of the changes were ±1, so the − / + buttons (operations) would never conflict` +
          (def.type === "number" ? ` (make it a counter field to get them)` : ""),
      });
    }
    if (h.autoMerged >= ADVICE.autoMerges) {
      advice.push({
        kind: "always_ask",
        collectionId: record.collectionId,
        recordId: h.recordId,
        field: h.field,
        autoMerged: h.autoMerged,
        isSet: def.alwaysAsk === true,
        text: def.alwaysAsk
          ? `${def.label} on '${record.name}' would have been auto-merged ${h.autoMerged} times ${context.period}; it is set to always ask`
          : `${def.label} on '${record.name}' was auto-merged ${h.autoMerged} times ${context.period}; if that is too lenient for your team, set it to always ask`,
      });
    }
    if (h.limited > 0) limitHits.set(def.label, (limitHits.get(def.label) ?? 0) + h.limited);
  }
  for (const [label, hits] of limitHits) {
    if (hits >= ADVICE.limitHits)
      advice.push({ kind: "limit", field: label, hits, text: `${label} hit its limit ${hits} ${hits === 1 ? "time" : "times"} ${context.period}` });
  }
  const strength = (a: Advice) => (a.kind === "operations" ? a.refused : a.kind === "always_ask" ? a.autoMerged : a.hits);
  const rank = { operations: 0, always_ask: 1, limit: 2 };
  return advice.sort((a, b) => rank[a.kind] - rank[b.kind] || strength(b) - strength(a));
}

/** One period of the contention page (the last hour, or the day). */
export type ContentionPeriod = {
  series: MinutePoint[];
  saves: number;
  refused: number;
  autoMerged: number;
  limited: number;
  retries: number;
  uninterrupted: number | null;
  p50: number | null;
  p99: number | null;
  lockWaitMs: number | null;
};
export type HotRecord = Hotspot & { name: string; collectionId: string; collectionName: string };
export type HotField = HotRecord & { fieldLabel: string };

/** GET /api/workspaces/:id/contention */
export type ContentionDto = {
  workspace: { id: string; name: string };
  generatedAt: string;
  hour: ContentionPeriod;
  day: ContentionPeriod;
  hotRecords: HotRecord[];
  hotFields: HotField[];
  /** an "always ask" offer carries the collection's fields ETag, for If-Match */
  advice: (Advice & { etag?: string })[];
};
