import type pg from "pg";
import { describe, expect, it } from "vitest";
import { createRollupAccumulator } from "./rollups";

/** A pool that records the statements it is sent. */
function recordingPool() {
  const sent: string[] = [];
  const pool = {
    query: async (sql: string) => {
      sent.push(sql.trim().split(/\s+/)[0]!.toUpperCase());
      return { rows: [], rowCount: 0 };
    },
  } as unknown as pg.Pool;
  return { pool, sent };
}

describe("contention rollups", () => {
  it("a flush writes what is pending and prunes old minutes at most once an hour", async () => {
    const { pool, sent } = recordingPool();
    const rollups = createRollupAccumulator(pool, { flushMs: 60_000, retentionDays: 14 });
    rollups.add("00000000-0000-4000-8000-000000000001", "", { saves: 1 });
    await rollups.flush();
    rollups.add("00000000-0000-4000-8000-000000000001", "", { saves: 1 });
    await rollups.flush();
    expect(sent).toEqual(["INSERT", "DELETE", "INSERT"]);
    await rollups.close();
  });

  it("the last flush at shutdown writes what is pending but does not prune (the database may be going away too)", async () => {
    const { pool, sent } = recordingPool();
    const rollups = createRollupAccumulator(pool, { flushMs: 60_000, retentionDays: 14 });
    rollups.add("00000000-0000-4000-8000-000000000001", "", { saves: 2 });
    await rollups.close();
    expect(sent).toEqual(["INSERT"]);
    expect(rollups.pending()).toBe(0);
  });
});
