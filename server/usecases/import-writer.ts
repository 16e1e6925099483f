// An import job's rows written through the record writer, in batches, each write storing the job's
// checkpoint (rows handled, records created, rows refused) in its own statement and only while this
// process holds the job's lease. A heartbeat keeps the lease while a slow write runs. So a process
// that dies leaves a job whose stored progress is exactly what it wrote: the same file and key, sent
// again once the lease has run out, take it over (import-records.ts) and go on after those rows,
// creating nothing twice. A job taken over while this process was only slow stops at its next write.
import { rolesFor } from "@/lib/permissions";
import type { ImportFailure } from "@/lib/import";
import type { CollectionDto, RecordValues } from "@/lib/types";
import { AppError, archived } from "@/server/errors";
import { finishImport, releaseImport, renewLease, type ImportProgress } from "@/server/persistence/imports-repo";
import type { ImportCheckpoint } from "@/server/persistence/record-store";
import { limitError } from "./access";
import type { Actor, UseCaseDeps } from "./deps";

export const DEFAULT_LEASE_MS = 30_000;
const BATCH = 500;
/** Refused rows kept in the report; the count goes on. */
export const REPORT_MAX = 1000;

/** A data row read and checked, numbered as in a spreadsheet (the header is row 1: row r is data row r − 1). */
export type CheckedRow = { row: number; values: RecordValues } | { row: number; fields: Record<string, string> };

/** Another process holds the job now: this one stops without writing. */
class Superseded extends Error {}

/** The job's counts through some row: what a checkpoint stores. */
type Tally = ImportProgress;

function refuse(tally: Tally, failure: ImportFailure): void {
  tally.failedCount++;
  if (tally.failed.length < REPORT_MAX) tally.failed.push(failure);
}

/**
 * Writes `rows` (the file's data rows after those `start` counts as handled) and ends the job.
 * `start`: zero for a new job, or the progress its last write stored for a job taken over.
 */
export async function writeImport(
  deps: UseCaseDeps,
  actor: Actor,
  collection: CollectionDto,
  job: { id: string; leaseToken: string },
  rows: AsyncIterable<CheckedRow>,
  start: Tally,
): Promise<void> {
  const leaseMs = deps.importLeaseMs ?? DEFAULT_LEASE_MS;
  const copy = (from: Tally): Tally => ({ ...from, failed: [...from.failed] });
  /** the counts through the last row whose outcome is known (created, refused or invalid) */
  let tally = copy(start);
  /** what the job's row holds: the counts the last write of this process stored */
  let storedReport = start.failed.length;
  /** rows read and not yet written, in order */
  let pending: CheckedRow[] = [];
  // The write says whether the collection has limits (a limit may be added while the import runs).
  let hasLimits = collection.limits.length > 0;
  let isLost = false;

  const heartbeat = setInterval(() => {
    renewLease(deps.db, job.id, job.leaseToken, leaseMs).then(
      (isHeld) => (isLost ||= !isHeld),
      (error: unknown) => console.warn("import heartbeat failed", { jobId: job.id, error }),
    );
  }, leaseMs / 3);
  heartbeat.unref();

  const checkpointOf = (through: Tally): ImportCheckpoint => ({
    importId: job.id,
    leaseToken: job.leaseToken,
    leaseMs,
    processed: through.processedRows,
    created: through.created,
    failedCount: through.failedCount,
    // The report goes with the checkpoint only when it grew (it holds at most REPORT_MAX rows).
    ...(through.failed.length !== storedReport ? { failed: through.failed } : {}),
  });
  const stored = (through: Tally) => {
    storedReport = through.failed.length;
    tally = through;
  };
  const stop = (outcome: "not_found" | "forbidden" | "archived" | "superseded") => {
    if (outcome === "superseded") return new Superseded();
    return outcome === "archived" ? archived() : new AppError("forbidden", "You may no longer import into this collection");
  };

  /** All pending rows in one write: every valid one created, the counts through the last row stored with them. */
  const writeBatch = async (): Promise<boolean> => {
    const valid = pending.flatMap((r) => ("values" in r ? [r.values] : []));
    const after = copy(tally);
    for (const item of pending) if ("fields" in item) refuse(after, item);
    after.created += valid.length;
    after.processedRows = pending[pending.length - 1]!.row - 1;
    const outcome = await deps.store.createMany({
      collectionId: collection.id,
      actorId: actor.id,
      roles: rolesFor("record.import"),
      rows: valid,
      checkpoint: checkpointOf(after),
    });
    if (outcome.outcome === "limited") return false;
    if (outcome.outcome !== "saved") throw stop(outcome.outcome);
    stored(after);
    // The events are in the outbox already (the revisions' trigger); one wake-up per batch is enough.
    const last = outcome.records[outcome.records.length - 1];
    if (last) deps.committed({ type: "created", record: last, by: actor });
    return true;
  };

  /**
   * Pending rows one by one (a collection with limits): each create stores the counts through its
   * own row; a row the limit refuses writes nothing, and the next write (or the job's end) counts it.
   */
  const writeEach = async (): Promise<void> => {
    for (const item of pending) {
      if ("fields" in item) {
        refuse(tally, item);
        tally.processedRows = item.row - 1;
        continue;
      }
      if (isLost) throw new Superseded();
      const through = { ...copy(tally), processedRows: item.row - 1, created: tally.created + 1 };
      const outcome = await deps.store.create({
        collectionId: collection.id,
        actorId: actor.id,
        roles: rolesFor("record.import"),
        values: item.values,
        checkpoint: checkpointOf(through),
      });
      if (outcome.outcome === "saved") {
        stored(through);
        deps.committed({ type: "created", record: outcome.record, by: actor });
      } else if (outcome.outcome === "limit") {
        refuse(tally, { row: item.row, fields: { [outcome.refusal.field]: limitError(outcome.refusal).message } });
        tally.processedRows = item.row - 1;
      } else throw stop(outcome.outcome);
    }
  };

  const flush = async () => {
    if (pending.length === 0) return;
    if (isLost) throw new Superseded();
    if (!pending.some((r) => "values" in r)) {
      // Invalid rows only: counted now, stored by the next write or the job's end.
      for (const item of pending) if ("fields" in item) refuse(tally, item);
      tally.processedRows = pending[pending.length - 1]!.row - 1;
    } else if (hasLimits || !(await writeBatch())) {
      hasLimits = true;
      await writeEach();
    }
    pending = [];
  };

  try {
    let valid = 0;
    for await (const result of rows) {
      pending.push(result);
      if ("values" in result && ++valid % BATCH === 0) await flush();
    }
    await flush();
    if (!(await finishImport(deps.db, job.id, job.leaseToken, { ...tally, status: "done" }))) throw new Superseded();
  } catch (error) {
    if (error instanceof Superseded) {
      console.warn("import taken over by another process; this one stops", { jobId: job.id });
    } else if (error instanceof AppError) {
      // Refused for good (archived, no longer allowed): the job ends with what it wrote.
      await finishImport(deps.db, job.id, job.leaseToken, { ...tally, status: "failed", error: error.message }).catch(() => {});
    } else {
      // Perhaps passing (the database went away): the job is handed back, resumable from its last write.
      console.error("import stopped", { jobId: job.id, error });
      await releaseImport(deps.db, job.id, job.leaseToken, "The import stopped on an unexpected error").catch(() => {});
    }
  } finally {
    clearInterval(heartbeat);
  }
}
