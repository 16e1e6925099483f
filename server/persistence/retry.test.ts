import { describe, expect, it } from "vitest";
import { withTransientRetry } from "./retry";

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

describe("withTransientRetry", () => {
  it.each(["40001", "40P01"])("retries %s and returns the eventual result", async (code) => {
    let calls = 0;
    const retried: number[] = [];
    const result = await withTransientRetry(
      async () => {
        calls++;
        if (calls < 3) throw pgError(code);
        return "done";
      },
      { baseDelayMs: 1, onRetry: (_c, attempt) => retried.push(attempt) },
    );
    expect(result).toBe("done");
    expect(calls).toBe(3);
    expect(retried).toEqual([1, 2]);
  });

  it("gives up after the bounded number of attempts and rethrows", async () => {
    let calls = 0;
    await expect(
      withTransientRetry(
        async () => {
          calls++;
          throw pgError("40001");
        },
        { attempts: 4, baseDelayMs: 1 },
      ),
    ).rejects.toThrow("pg 40001");
    expect(calls).toBe(4);
  });

  it("never retries other errors (a unique violation is an answer, not a glitch)", async () => {
    let calls = 0;
    await expect(
      withTransientRetry(async () => {
        calls++;
        throw pgError("23505");
      }),
    ).rejects.toThrow();
    expect(calls).toBe(1);
  });

  it("finds the code where Prisma's driver adapter nests it", async () => {
    let calls = 0;
    const nested = Object.assign(new Error("wrapped"), { cause: { kind: "postgres", originalCode: "40P01" } });
    await withTransientRetry(
      async () => {
        if (calls++ === 0) throw nested;
      },
      { baseDelayMs: 1 },
    );
    expect(calls).toBe(2);
  });
});
