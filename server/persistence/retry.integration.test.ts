// A real serialization failure from PostgreSQL, not a simulated one, is retried to success.
import { describe, expect, it } from "vitest";
import { useTestPool } from "@/test/db";
import { getPgErrorCode } from "./pg-errors";
import { withTransientRetry } from "./retry";

const pool = useTestPool({ max: 4 });

describe("withTransientRetry against PostgreSQL", () => {
  it("two SERIALIZABLE transactions in write skew: one fails with 40001, the retry commits it", async () => {
    const table = `retry_${Date.now()}`;
    await pool.query(`CREATE TABLE ${table} (id int PRIMARY KEY, n int NOT NULL)`);
    await pool.query(`INSERT INTO ${table} VALUES (1, 0), (2, 0)`);
    let attempts = 0;
    const codes: string[] = [];
    let releaseFirst!: () => void;
    const firstHasRead = new Promise<void>((resolve) => (releaseFirst = resolve));
    let secondDone!: () => void;
    const secondCommitted = new Promise<void>((resolve) => (secondDone = resolve));

    // Each reads the sum, then writes its own row: the classic write skew SERIALIZABLE must refuse.
    const skewed = (row: number, onRead?: () => Promise<void>) => async () => {
      attempts++;
      const client = await pool.connect();
      try {
        await client.query("BEGIN ISOLATION LEVEL SERIALIZABLE");
        const { rows } = await client.query<{ s: number }>(`SELECT sum(n)::int AS s FROM ${table}`);
        await onRead?.();
        await client.query(`UPDATE ${table} SET n = $1 WHERE id = $2`, [rows[0]!.s + 1, row]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      } finally {
        client.release();
      }
    };
    let firstRun = true;
    const first = withTransientRetry(
      skewed(1, async () => {
        if (!firstRun) return;
        firstRun = false;
        releaseFirst();
        await secondCommitted; // the other transaction commits between our read and our write
      }),
      { baseDelayMs: 1, onRetry: (code) => codes.push(code) },
    );
    await firstHasRead;
    await skewed(2)();
    secondDone();
    await first;
    expect(codes).toEqual(["40001"]);
    expect(attempts).toBe(3);
    const { rows } = await pool.query<{ id: number; n: number }>(`SELECT id, n FROM ${table} ORDER BY id`);
    expect(rows).toEqual([
      { id: 1, n: 2 },
      { id: 2, n: 1 },
    ]);
    await pool.query(`DROP TABLE ${table}`);
  });

  it("reads the SQLSTATE of a pg error", async () => {
    const error = await pool.query("SELECT 1/0").catch((e: unknown) => e);
    expect(getPgErrorCode(error)).toBe("22012");
  });
});
