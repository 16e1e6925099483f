// Reading the outbox in order without missing a row (SPEC O1–O5). Sequence numbers are handed out
// when a row is inserted, not when its transaction commits: a reader that only remembered the
// highest number it saw would step over a row whose transaction was still running and commits
// later with a smaller number. So a reader remembers the numbers it has not seen below its cursor
// (holes) with a bound on the transactions that could hold each one (a transaction id taken after
// the read that first missed it), asks for them again, and forgets one only when every
// transaction that could have held it has ended (a later snapshot's `xmin` reached that bound):
// then a number still missing belongs to a transaction that rolled back. The bound is not the
// snapshot's `xmax`: that is one past the highest *completed* transaction, and a writer still
// running can have a higher id (seen: a save whose number was given up while it committed).

/** What the reader knows: everything up to `cursor` was seen, except the holes. */
export type CursorState = {
  cursor: bigint;
  /** unseen numbers at or below the cursor → the bound taken when the hole was first seen */
  holes: Map<bigint, bigint>;
};

/** One read: the rows after the cursor or in a hole, in order, and the snapshot they were read under. */
export type Read = {
  seqs: bigint[];
  /** the read stopped at its limit: rows after the last one may exist */
  isTruncated: boolean;
  xmin: bigint;
  /**
   * above the id of every transaction that had taken a number when the read's snapshot was taken:
   * a transaction id assigned after the read (the reader asks for one when the read leaves new
   * holes; otherwise any value does)
   */
  bound: bigint;
};

/** Whether a read leaves numbers above the cursor unseen (then the reader must take a bound for them). */
export function leavesHoles(state: CursorState, seqs: bigint[]): boolean {
  let above = 0;
  let top = state.cursor;
  for (const seq of new Set(seqs)) {
    if (seq <= state.cursor) continue;
    above++;
    if (seq > top) top = seq;
  }
  return top - state.cursor > BigInt(above);
}

export const MAX_HOLES = 100_000;

export function startCursor(cursor: bigint): CursorState {
  return { cursor, holes: new Map() };
}

/**
 * O1 Rows come out in sequence order, each once: a row is new when it is above the cursor or fills
 * a hole. O2 The cursor moves to the last row read; numbers skipped on the way become holes,
 * stamped with the read's bound. O3 A hole is given up when the snapshot's xmin reached the
 * bound it was stamped with (every transaction that could hold it has ended) and it was not read,
 * unless the read was truncated before it. O4 A hole that is read is no longer a hole.
 */
export function advance(state: CursorState, read: Read): { state: CursorState; fresh: bigint[] } {
  const holes = new Map(state.holes);
  const fresh: bigint[] = [];
  let cursor = state.cursor;
  const sorted = [...new Set(read.seqs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const seq of sorted) {
    if (seq > cursor) {
      // A gap wider than the holes kept (a huge rolled-back batch) keeps only its top numbers.
      const from = seq - cursor > BigInt(MAX_HOLES) ? seq - BigInt(MAX_HOLES) : cursor + 1n;
      for (let missing = from; missing < seq; missing++) holes.set(missing, read.bound);
      cursor = seq;
      fresh.push(seq);
    } else if (holes.delete(seq)) fresh.push(seq);
  }
  const last = sorted.at(-1);
  for (const [seq, stamp] of holes) {
    const wasReadPast = !read.isTruncated || (last !== undefined && seq < last);
    if (read.xmin >= stamp && wasReadPast) holes.delete(seq);
  }
  return { state: { cursor, holes: trimHoles(holes) }, fresh };
}

/** O5 The holes to ask for again, oldest first, at most `limit` of them. */
export function holesToAsk(state: CursorState, limit = 1000): bigint[] {
  return [...state.holes.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, limit);
}

/** The number below which everything is settled: seen, or rolled back. A durable reader stores it. */
export function settled(state: CursorState): bigint {
  let lowest = state.cursor;
  for (const seq of state.holes.keys()) if (seq - 1n < lowest) lowest = seq - 1n;
  return lowest;
}

/** O6 At most MAX_HOLES holes are kept: past that (a storm of rolled-back writes), the oldest are given up. */
function trimHoles(holes: Map<bigint, bigint>): Map<bigint, bigint> {
  if (holes.size <= MAX_HOLES) return holes;
  const keep = [...holes.entries()].sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0)).slice(0, MAX_HOLES);
  return new Map(keep);
}
