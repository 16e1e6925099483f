import { describe, expect, it } from "vitest";
import {
  addCounts,
  ADVICE,
  adviseFromRows,
  emptyCounts,
  hotspots,
  LATENCY_BUCKETS_MS,
  latencyBucket,
  minuteOf,
  minuteSeries,
  percentileFromBuckets,
  uninterruptedShare,
  type RollupRow,
} from "./contention";
import type { FieldDef } from "./types";

const row = (recordId: string, field: string, counts: Partial<RollupRow>, minute = "2026-12-01T10:00:00.000Z"): RollupRow => ({
  ...addCounts(emptyCounts(), counts),
  recordId,
  field,
  minute,
});

const fields: FieldDef[] = [
  { key: "stock", label: "Stock", type: "counter" },
  { key: "price", label: "Price", type: "number" },
  { key: "name", label: "Name", type: "text" },
  { key: "strict", label: "Strict", type: "text", alwaysAsk: true },
];
const context = {
  records: { r1: { collectionId: "c1", name: "USB-C cable", fields }, r2: { collectionId: "c1", name: "Acme", fields } },
  period: "in the last hour",
};

describe("T1-T3 counting", () => {
  it("T1 counts add field by field and latency bucket by bucket", () => {
    const a = addCounts(emptyCounts(), { saves: 2, refused: 1, latency: [1, 0, 3] });
    addCounts(a, { saves: 3, lockWaitMs: 2.5, latency: [0, 4] });
    expect(a.saves).toBe(5);
    expect(a.refused).toBe(1);
    expect(a.lockWaitMs).toBe(2.5);
    expect(a.latency.slice(0, 3)).toEqual([1, 4, 3]);
    expect(a.latency).toHaveLength(LATENCY_BUCKETS_MS.length + 1);
  });

  it("T2 a latency falls in the first bucket whose bound holds it, else the overflow", () => {
    expect(latencyBucket(0.3)).toBe(0);
    expect(latencyBucket(1)).toBe(0);
    expect(latencyBucket(1.01)).toBe(1);
    expect(latencyBucket(5000)).toBe(LATENCY_BUCKETS_MS.length - 1);
    expect(latencyBucket(60_000)).toBe(LATENCY_BUCKETS_MS.length);
  });

  it("T3 a moment's minute drops seconds", () => {
    expect(minuteOf(new Date("2026-12-01T10:03:59.999Z"))).toBe("2026-12-01T10:03:00.000Z");
    expect(minuteOf(Date.parse("2026-12-01T10:04:00.000Z"))).toBe("2026-12-01T10:04:00.000Z");
    // asked again for a minute before the last one (clocks of other callers, rows being read back)
    expect(minuteOf(Date.parse("2026-12-01T10:03:00.000Z"))).toBe("2026-12-01T10:03:00.000Z");
    expect(minuteOf(Date.parse("2026-12-01T10:04:59.000Z"))).toBe("2026-12-01T10:04:00.000Z");
  });
});

describe("T4-T5 shares and percentiles", () => {
  it("T4 the uninterrupted share is auto-merges over all concurrent saves; none: null", () => {
    expect(uninterruptedShare({ refused: 1, autoMerged: 3 })).toBe(0.75);
    expect(uninterruptedShare({ refused: 2, autoMerged: 0 })).toBe(0);
    expect(uninterruptedShare({ refused: 0, autoMerged: 0 })).toBeNull();
  });

  it("T5 a percentile interpolates inside the bucket that reaches it", () => {
    // 10 saves in (0, 1], 10 in (1, 2]: the median is the end of the first bucket, p75 half way through the second
    expect(percentileFromBuckets([10, 10], 0.5)).toBe(1);
    expect(percentileFromBuckets([10, 10], 0.75)).toBe(1.5);
    expect(percentileFromBuckets([0, 0, 4], 0.5)).toBe(3.5);
    expect(percentileFromBuckets([], 0.5)).toBeNull();
    const overflow = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
    overflow[LATENCY_BUCKETS_MS.length] = 1;
    expect(percentileFromBuckets(overflow, 0.99)).toBe(5000);
  });
});

describe("T6-T7 series and hotspots", () => {
  it("T6 every minute of the period is present, from record rows only", () => {
    const rows = [
      row("r1", "", { saves: 3, refused: 1, autoMerged: 1, latency: [3] }, "2026-12-01T10:01:00.000Z"),
      row("r2", "", { saves: 1, lockWaits: 2, lockWaitMs: 6 }, "2026-12-01T10:01:00.000Z"),
      row("r1", "stock", { saves: 3, refused: 1 }, "2026-12-01T10:01:00.000Z"),
    ];
    const series = minuteSeries(rows, "2026-12-01T10:00:30.000Z", 3);
    expect(series.map((p) => p.minute)).toEqual(["2026-12-01T10:00:00.000Z", "2026-12-01T10:01:00.000Z", "2026-12-01T10:02:00.000Z"]);
    expect(series[0]).toMatchObject({ saves: 0, refused: 0, p50: null, uninterrupted: null });
    expect(series[1]).toMatchObject({ saves: 4, refused: 1, autoMerged: 1, lockWaitMs: 3, uninterrupted: 0.5 });
    expect(series[1]!.p50).toBeCloseTo(0.5);
  });

  it("T7 hotspots sum over minutes and put the most contended first", () => {
    const rows = [
      row("r1", "", { saves: 10, refused: 1 }),
      row("r2", "", { saves: 2, refused: 2 }),
      row("r2", "", { saves: 1, autoMerged: 1 }, "2026-12-01T10:01:00.000Z"),
      row("r2", "name", { saves: 3, autoMerged: 1 }),
      row("r1", "stock", { saves: 5 }),
      row("r1", "price", { saves: 5, limited: 1 }),
    ];
    const { records, fields: hot } = hotspots(rows);
    expect(records.map((h) => [h.recordId, h.saves, h.refused + h.autoMerged])).toEqual([
      ["r2", 3, 3],
      ["r1", 10, 1],
    ]);
    expect(hot.map((h) => `${h.recordId}.${h.field}`)).toEqual(["r2.name", "r1.price"]);
  });
});

describe("T8 advice", () => {
  it("T8 a counter refused often with ±1 changes gets the operations advice, with its evidence", () => {
    const advice = adviseFromRows([row("r1", "stock", { saves: 13, refused: 5, numberChanges: 13, unitChanges: 12 })], context);
    expect(advice).toHaveLength(1);
    expect(advice[0]).toMatchObject({ kind: "operations", recordId: "r1", field: "stock", saves: 13, refused: 5 });
    expect(advice[0]!.text).toBe(
      "Stock on 'USB-C cable' was refused in 38 % of 13 saves in the last hour: 92 % of the changes were ±1, so the − / + buttons (operations) would never conflict",
    );
  });

  it("T8 below any threshold, or on a text field, the operations advice stays silent", () => {
    const quiet = [
      row("r1", "stock", { saves: ADVICE.minSaves - 1, refused: 4, numberChanges: 4, unitChanges: 4 }),
      row("r2", "stock", { saves: 10, refused: 1, numberChanges: 10, unitChanges: 10 }),
      row("r2", "price", { saves: 10, refused: 5, numberChanges: 10, unitChanges: 5 }),
      row("r1", "name", { saves: 10, refused: 9 }),
    ];
    expect(adviseFromRows(quiet, context)).toEqual([]);
  });

  it("T8 a number field's advice says to make it a counter", () => {
    const [advice] = adviseFromRows([row("r2", "price", { saves: 10, refused: 5, numberChanges: 10, unitChanges: 10 })], context);
    expect(advice!.text).toContain("make it a counter field");
  });

  it("T8 many auto-merges offer always ask, or say it is set", () => {
    const advice = adviseFromRows(
      [
        row("r2", "name", { saves: 40, autoMerged: ADVICE.autoMerges }),
        row("r2", "strict", { saves: 30, autoMerged: 25 }),
        row("r1", "name", { autoMerged: ADVICE.autoMerges - 1 }),
      ],
      context,
    );
    expect(advice.map((a) => a.kind === "always_ask" && [a.field, a.autoMerged, a.isSet, a.collectionId])).toEqual([
      ["strict", 25, true, "c1"],
      ["name", 20, false, "c1"],
    ]);
    expect(advice[1]!.text).toBe("Name on 'Acme' was auto-merged 20 times in the last hour; if that is too lenient for your team, set it to always ask");
  });

  it("T8 limit refusals are summed per field over records and named", () => {
    const advice = adviseFromRows([row("r1", "stock", { limited: 7 }), row("r2", "stock", { limited: 5 })], { ...context, period: "today" });
    expect(advice).toEqual([{ kind: "limit", field: "Stock", hits: 12, text: "Stock hit its limit 12 times today" }]);
  });

  it("T8 fields the collection no longer has, and unknown records, are skipped", () => {
    expect(adviseFromRows([row("r1", "gone", { limited: 3 }), row("r9", "stock", { limited: 3 })], context)).toEqual([]);
  });
});
