// A process killed during an import leaves its spool file in the temporary directory; the sweep at
// start-up (and hourly) removes the spool files nobody has written to for a day, and nothing else.
import { mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { STALE_SPOOL_MS, sweepStaleSpools } from "./import-records";

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("sweeping stale import spool files", () => {
  it("removes a day-old spool file, keeps a fresh one and every file that is not a spool", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "tandem-spool-test-"));
    const now = Date.now();
    const old = "tandem-import-0b6f3f0e-2d7a-4a57-9d2e-6f1c2b3a4d5e.csv";
    const fresh = "tandem-import-1c7a4e1f-3e8b-4b68-8e3f-7a2d3c4b5e6f.csv";
    const others = ["tandem-import-notes.csv", "report.csv", "tandem-import-0b6f3f0e-2d7a-4a57-9d2e-6f1c2b3a4d5e.csv.bak"];
    for (const name of [old, fresh, ...others]) await writeFile(path.join(dir, name), "a,b\n1,2\n");
    const dayAgo = (now - STALE_SPOOL_MS - 60_000) / 1000;
    for (const name of [old, ...others]) await utimes(path.join(dir, name), dayAgo, dayAgo);

    expect(await sweepStaleSpools(dir, STALE_SPOOL_MS, now)).toBe(1);
    expect((await readdir(dir)).sort()).toEqual([fresh, ...others].sort());
    // nothing left to remove: a second sweep (another process's) removes nothing and does not fail
    expect(await sweepStaleSpools(dir, STALE_SPOOL_MS, now)).toBe(0);
  });
});
