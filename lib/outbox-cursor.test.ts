import { describe, expect, it } from "vitest";
import { advance, holesToAsk, leavesHoles, MAX_HOLES, settled, startCursor, type CursorState, type Read } from "./outbox-cursor";

const read = (seqs: number[], xmin: number, bound: number, isTruncated = false): Read => ({
  seqs: seqs.map(BigInt),
  isTruncated,
  xmin: BigInt(xmin),
  bound: BigInt(bound),
});
const nums = (values: bigint[]) => values.map(Number);

function run(state: CursorState, ...reads: Read[]) {
  const fresh: number[] = [];
  for (const r of reads) {
    const next = advance(state, r);
    state = next.state;
    fresh.push(...nums(next.fresh));
  }
  return { state, fresh };
}

describe("O1–O2 rows in order, each once", () => {
  it("hands out new rows in sequence order and moves the cursor to the last", () => {
    const { state, fresh } = run(startCursor(10n), read([13, 11, 12], 100, 100));
    expect(fresh).toEqual([11, 12, 13]);
    expect(state.cursor).toBe(13n);
    expect(state.holes.size).toBe(0);
  });

  it("never hands out a row twice, whether read again or duplicated in one read", () => {
    const { fresh } = run(startCursor(0n), read([1, 2, 2], 5, 5), read([2, 3], 5, 5));
    expect(fresh).toEqual([1, 2, 3]);
  });

  it("a number skipped becomes a hole stamped with the read's bound", () => {
    const { state } = run(startCursor(0n), read([1, 4], 90, 100));
    expect(state.cursor).toBe(4n);
    expect([...state.holes]).toEqual([
      [2n, 100n],
      [3n, 100n],
    ]);
  });
});

describe("O2 a read that leaves holes needs a bound", () => {
  it("only when numbers above the cursor are skipped", () => {
    expect(leavesHoles(startCursor(10n), [11n, 12n, 13n])).toBe(false);
    expect(leavesHoles(startCursor(10n), [13n, 11n, 12n, 12n])).toBe(false);
    expect(leavesHoles(startCursor(10n), [])).toBe(false);
    // Holes below the cursor, read again, leave nothing new.
    expect(leavesHoles(startCursor(10n), [4n, 7n])).toBe(false);
    expect(leavesHoles(startCursor(10n), [11n, 13n])).toBe(true);
    expect(leavesHoles(startCursor(10n), [12n])).toBe(true);
  });

  it("a writer with an id above the snapshot's xmax keeps its hole until the bound is reached", () => {
    // PostgreSQL's xmax is one past the highest completed id: 3744 can be running with xmin = xmax = 3744.
    // Stamped with that xmax, the hole went at once; stamped with a later id (3750) it waits for 3744 to end.
    const { state } = run(startCursor(2181n), read([2182, 2183, 2184, 2186], 3744, 3750));
    expect(nums(holesToAsk(state))).toEqual([2185]);
    const later = run(state, read([2185, 2187], 3746, 3752));
    expect(later.fresh).toEqual([2185, 2187]);
  });
});

describe("O3–O4 holes", () => {
  it("a row that commits late with a smaller number is handed out when it appears", () => {
    // 2's transaction was still running when 3 committed.
    const { state, fresh } = run(startCursor(1n), read([3], 50, 60), read([2, 4], 55, 70));
    expect(fresh).toEqual([3, 2, 4]);
    expect(state.holes.size).toBe(0);
  });

  it("a hole is kept while a transaction that could hold it may still be running", () => {
    const { state } = run(startCursor(0n), read([2], 50, 60), read([], 59, 61));
    expect(nums(holesToAsk(state))).toEqual([1]);
  });

  it("a hole is given up once every transaction older than its stamp has ended (it rolled back)", () => {
    const { state, fresh } = run(startCursor(0n), read([2], 50, 60), read([], 60, 61));
    expect(state.holes.size).toBe(0);
    expect(fresh).toEqual([2]);
    // A row with that number appearing later is not handed out: it cannot exist.
    expect(run(state, read([1], 60, 61)).fresh).toEqual([]);
  });

  it("a truncated read does not give up holes beyond the last row it reached", () => {
    let state = run(startCursor(0n), read([1, 5], 10, 20)).state; // holes 2, 3, 4
    state = run(state, read([3], 30, 40, true)).state; // truncated at 3: 4 may just not have been reached
    expect(nums(holesToAsk(state))).toEqual([4]);
  });

  it("holes are asked for oldest first, within the limit", () => {
    const { state } = run(startCursor(0n), read([10], 1, 2));
    expect(nums(holesToAsk(state, 3))).toEqual([1, 2, 3]);
  });
});

describe("settled (what a durable reader stores)", () => {
  it("is the cursor without holes, and just below the lowest hole otherwise", () => {
    expect(settled(run(startCursor(0n), read([1, 2], 1, 2)).state)).toBe(2n);
    expect(settled(run(startCursor(0n), read([1, 4], 1, 2)).state)).toBe(1n);
  });
});

describe("O6 bounded memory", () => {
  it("a gap wider than the holes kept keeps only its newest numbers", () => {
    const top = MAX_HOLES * 3;
    const { state } = run(startCursor(0n), read([top], 1, 2));
    expect(state.holes.size).toBe(MAX_HOLES);
    expect(holesToAsk(state, 1)[0]).toBe(BigInt(top - MAX_HOLES));
  });
});
