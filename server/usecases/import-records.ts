// CSV import: the body is spooled to a temporary file as it arrives (hashed on the way, never held in
// memory), the header is mapped to fields (lib/import.ts), every row is checked with the field rules,
// and valid rows are written in batches through the record writer, each with its create revision
// (the outbox trigger makes their events; import-writer.ts). One job per Idempotency-Key: the same
// key and file again creates nothing new; the same key with another file is a 422. A quick import
// answers 201; a long one answers 202 and goes on, its job at GET /api/imports/:id. A job whose
// process died (its lease ran out) is "interrupted": the same key and file again take it over and
// go on after the rows it had written.
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { finished } from "node:stream/promises";
import { parse } from "csv-parse";
import { z } from "zod";
import { mapColumns, readRow, type ImportJobDto, type ImportPreview } from "@/lib/import";
import { can, rolesFor } from "@/lib/permissions";
import { schemaChanges } from "@/lib/schema";
import type { CollectionDto, FieldDef } from "@/lib/types";
import { AppError, archived, badRequest, forbidden, invalid, notFound } from "@/server/errors";
import { findCollectionForUser, listWorkspaceMembers } from "@/server/persistence/collections-repo";
import {
  claimImport,
  findImport,
  findImportByKey,
  insertImport,
  listImports,
  type ImportFailure,
  type ImportJob,
  type ImportOptions,
  type ImportProgress,
} from "@/server/persistence/imports-repo";
import { findSchema, writeSchema } from "@/server/persistence/schema-repo";
import { isUuid } from "./access";
import type { Actor, UseCaseDeps } from "./deps";
import { DEFAULT_LEASE_MS, REPORT_MAX, writeImport, type CheckedRow } from "./import-writer";

export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;
/** How long the request waits for the import to finish before answering 202, unless `wait` says otherwise. */
const QUICK_MS = 2000;

const ImportQuery = z.object({
  preview: z.enum(["true", "false"]).optional(),
  createFields: z.enum(["true", "false"]).optional(),
  mapping: z.string().max(20_000).optional(),
  /** how long to wait for the import to finish before answering 202 (ms) */
  wait: z.coerce.number().int().min(0).max(10_000).optional(),
});
const Mapping = z.record(z.string(), z.string().max(63).nullable());

export type ImportCommand = {
  collectionId: string;
  contentType: string | null;
  key: string | null;
  query: Record<string, string>;
  body: AsyncIterable<Buffer>;
  /** method, path and query: part of what the key is bound to */
  target: string;
};

export type { ImportJobDto, ImportPreview } from "@/lib/import";

export type ImportAnswer = { status: 200 | 201 | 202; body: ImportJobDto | ImportPreview; replayed: boolean };

function toJobDto(job: ImportJob): ImportJobDto {
  const why = job.error ? `${job.error}` : "its server stopped";
  return {
    id: job.id,
    collectionId: job.collectionId,
    status: job.isInterrupted ? "interrupted" : job.status,
    total: job.totalRows,
    processed: job.processedRows,
    created: job.created,
    failedCount: job.failedCount,
    failed: job.failed,
    error: job.isInterrupted
      ? `The import was interrupted after ${job.processedRows.toLocaleString("en-US")} of ${job.totalRows.toLocaleString("en-US")} rows (${why}); ` +
        "the rows written so far are kept. Send the same file with the same Idempotency-Key to go on from there: nothing is imported twice."
      : job.error,
    attempts: job.attempts,
    key: job.key,
    options: job.options,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

const isCsv = (type: string | null) => !!type && /^(text\/csv|application\/csv)\s*(;|$)/i.test(type.trim());

const SPOOL_NAME = /^tandem-import-[0-9a-f-]{36}\.csv$/;
/** A spool file untouched this long belongs to no import still running (one reads its file within minutes). */
export const STALE_SPOOL_MS = 24 * 60 * 60 * 1000;

/**
 * Removes the spool files a process killed during an import left behind: those not written to for
 * `olderThanMs`. Any other file in the directory is left alone. Returns how many were removed.
 */
export async function sweepStaleSpools(dir = tmpdir(), olderThanMs = STALE_SPOOL_MS, now = Date.now()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir)) {
    if (!SPOOL_NAME.test(name)) continue;
    const file = path.join(dir, name);
    try {
      if (now - (await stat(file)).mtimeMs < olderThanMs) continue;
      await rm(file, { force: true });
      removed++;
    } catch {
      // gone meanwhile (another process swept it)
    }
  }
  return removed;
}

/** Spools the body to a private temporary file, hashing it with what the key is bound to. */
async function spool(body: AsyncIterable<Buffer>, target: string): Promise<{ file: string; hash: string; bytes: number }> {
  const file = path.join(tmpdir(), `tandem-import-${randomUUID()}.csv`);
  const out = createWriteStream(file, { mode: 0o600 });
  const hash = createHash("sha256").update(`${target}\n`);
  let bytes = 0;
  try {
    for await (const chunk of body) {
      hash.update(chunk);
      bytes += chunk.length;
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    }
    out.end();
    await finished(out);
  } catch (error) {
    out.destroy();
    await rm(file, { force: true });
    throw error;
  }
  return { file, hash: hash.digest("hex"), bytes };
}

function parser(file: string) {
  return createReadStream(file).pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: 1_000_000, cast: false }),
  ) as AsyncIterable<string[]>;
}

async function readHeader(file: string): Promise<{ header: string[]; total: number }> {
  let header: string[] | null = null;
  let total = 0;
  try {
    for await (const record of parser(file)) {
      if (header === null) header = record;
      else total++;
    }
  } catch (error) {
    throw invalid({ _: `The file is not valid CSV: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300) });
  }
  if (header === null) throw invalid({ _: "The file is empty: its first row must name the columns" });
  return { header, total };
}

function answerForExisting(job: ImportJob): ImportAnswer {
  const dto = toJobDto(job);
  return { status: dto.status === "running" || dto.status === "interrupted" ? 202 : 201, body: dto, replayed: true };
}

function assertSameFile(job: ImportJob, hash: string): void {
  if (job.requestHash !== hash) throw new AppError("idempotency_mismatch", "This Idempotency-Key was already used for a different import");
}

export async function importRecords(deps: UseCaseDeps, actor: Actor, command: ImportCommand): Promise<ImportAnswer> {
  if (!isUuid(command.collectionId)) throw notFound("Collection");
  const collection = await findCollectionForUser(deps.db, command.collectionId, actor.id);
  if (!collection) throw notFound("Collection");
  if (!can(collection.role, "record.import")) throw forbidden("Viewers cannot import records");
  if (collection.archivedAt && command.query.preview !== "true") throw archived();
  if (!isCsv(command.contentType)) throw new AppError("unsupported_media_type", "Send the file as text/csv (Content-Type: text/csv)");
  const query = ImportQuery.parse(command.query);
  const isPreview = query.preview === "true";
  let mapping: Record<string, string | null> = {};
  if (query.mapping) {
    let raw: unknown;
    try {
      raw = JSON.parse(query.mapping);
    } catch {
      throw badRequest('mapping must be JSON: {"column": "field key" or null}');
    }
    const parsed = Mapping.safeParse(raw);
    if (!parsed.success) throw badRequest("mapping must be an object of column → field key (or null to ignore the column)");
    mapping = parsed.data;
  }
  const key = command.key;
  if (!isPreview && key === null) throw badRequest("Send an Idempotency-Key header with an import, so that a retry cannot import the file twice");
  if (key !== null && !/^[\x21-\x7e]{1,255}$/.test(key)) throw badRequest("Idempotency-Key must be 1 to 255 visible ASCII characters");

  // An archived collection takes no new import; a key already used is answered (or resumed) below.
  const earlier = !isPreview && key !== null ? await findImportByKey(deps.db, actor.id, key) : null;
  if (collection.archivedAt && !isPreview && (!earlier || earlier.isInterrupted)) throw archived();

  const { file, hash } = await spool(command.body, command.target);
  let isHandedOff = false;
  try {
    let resumed: ImportJob | null = null;
    const leaseToken = randomUUID();
    const leaseMs = deps.importLeaseMs ?? DEFAULT_LEASE_MS;
    if (!isPreview && key !== null) {
      const existing = earlier ?? (await findImportByKey(deps.db, actor.id, key));
      if (existing) {
        assertSameFile(existing, hash);
        // Interrupted: take it over (one of two requests doing so at once wins; the other is answered with the job).
        resumed = existing.isInterrupted ? await claimImport(deps.db, existing.id, leaseToken, leaseMs) : null;
        if (!resumed) return answerForExisting((await findImport(deps.db, existing.id)) ?? existing);
      }
    }
    const { header, total } = await readHeader(file);
    const mapped = mapColumns(collection.fields, header, mapping, query.createFields === "true");
    if (!mapped.ok) throw invalid(mapped.problems, "Some columns cannot be imported");
    if (mapped.newFields.length > 0 && !can(collection.role, "collection.manage")) {
      throw forbidden("Only owners can create fields from an import: map these columns to fields or ignore them");
    }
    const fields = [...collection.fields, ...mapped.newFields];
    const members = fields.some((def) => def.type === "user") ? new Set((await listWorkspaceMembers(deps.db, collection.workspaceId)).map((m) => m.id)) : null;
    const rowsOf: Rows = { file, fields, columns: mapped.columns, members, skip: resumed?.processedRows ?? 0 };

    if (isPreview) {
      const report = await validateAll(rowsOf);
      return {
        status: 200,
        replayed: false,
        body: {
          status: "preview",
          columns: header.map((column, i) => ({ column, field: mapped.columns[i] ?? null })),
          newFields: mapped.newFields,
          total,
          valid: total - report.failedCount,
          failedCount: report.failedCount,
          failed: report.failed,
        },
      };
    }

    const options: ImportOptions = { ...(query.mapping ? { mapping } : {}), ...(query.createFields === "true" ? { createFields: true } : {}) };
    const job =
      resumed ??
      (await insertImport(deps.db, {
        collectionId: collection.id,
        userId: actor.id,
        key: key!,
        requestHash: hash,
        totalRows: total,
        options,
        leaseToken,
        leaseMs,
      }));
    if (!job) {
      // A concurrent request with the same key got there first.
      const other = await findImportByKey(deps.db, actor.id, key!);
      if (other) {
        assertSameFile(other, hash);
        return answerForExisting(other);
      }
      throw new AppError("idempotency_in_progress", "Another import with this Idempotency-Key is starting; try again");
    }
    if (mapped.newFields.length > 0) await addFields(deps, actor, collection, mapped.newFields);

    isHandedOff = true;
    const start: ImportProgress = resumed
      ? { processedRows: resumed.processedRows, created: resumed.created, failedCount: resumed.failedCount, failed: resumed.failed }
      : { processedRows: 0, created: 0, failedCount: 0, failed: [] };
    const run = writeImport(deps, actor, collection, { id: job.id, leaseToken }, checkedRows(rowsOf), start).finally(() => rm(file, { force: true }));
    const quick = await Promise.race([run.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), query.wait ?? QUICK_MS).unref())]);
    const latest = toJobDto((await findImport(deps.db, job.id))!);
    return { status: quick ? 201 : 202, body: latest, replayed: false };
  } finally {
    if (!isHandedOff) await rm(file, { force: true });
  }
}

/** `skip`: data rows a resumed job handled already (read past, not checked again). */
type Rows = { file: string; fields: FieldDef[]; columns: (string | null)[]; members: Set<string> | null; skip: number };

/** Every data row read and checked (I3), plus person fields against the workspace's members. */
async function* checkedRows(rows: Rows): AsyncGenerator<CheckedRow> {
  let row = 1; // the header is row 1, as in a spreadsheet
  let isHeader = true;
  for await (const cells of parser(rows.file)) {
    if (isHeader) {
      isHeader = false;
      continue;
    }
    row++;
    if (row - 1 <= rows.skip) continue;
    const read = readRow(rows.fields, rows.columns, cells);
    if (!read.ok) {
      yield { row, fields: read.fields };
      continue;
    }
    if (rows.members) {
      const bad = rows.fields.filter(
        (def) => def.type === "user" && typeof read.values[def.key] === "string" && !rows.members!.has(read.values[def.key] as string),
      );
      if (bad.length > 0) {
        yield { row, fields: Object.fromEntries(bad.map((def) => [def.key, "Not a member of this workspace"])) };
        continue;
      }
    }
    yield { row, values: read.values };
  }
}

async function validateAll(rows: Rows): Promise<{ failedCount: number; failed: ImportFailure[] }> {
  const failed: ImportFailure[] = [];
  let failedCount = 0;
  for await (const result of checkedRows(rows)) {
    if ("fields" in result) {
      failedCount++;
      if (failed.length < REPORT_MAX) failed.push(result);
    }
  }
  return { failedCount, failed };
}

/** Fields made from new columns join the schema as a new version (retried when another edit lands first). */
async function addFields(deps: UseCaseDeps, actor: Actor, collection: CollectionDto, newFields: FieldDef[]): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await findSchema(deps.db, collection.id, actor.id);
    if (!current) throw notFound("Collection");
    const taken = new Set([...current.fields, ...current.removed].map((def) => def.key));
    const clash = newFields.find((def) => taken.has(def.key));
    if (clash) throw invalid({ [clash.label]: `A field "${clash.key}" was added meanwhile; import again` });
    const before = { name: current.name, archived: current.archived, fields: current.fields, removed: current.removed, limits: current.limits };
    const next = { ...before, fields: [...current.fields, ...newFields] };
    const outcome = await writeSchema(deps.db, {
      collectionId: collection.id,
      userId: actor.id,
      roles: rolesFor("collection.manage"),
      expectedVersion: current.version,
      state: next,
      changes: schemaChanges(before, next),
    });
    if (outcome.outcome === "forbidden") throw forbidden("Only owners can create fields from an import");
    if (outcome.outcome === "saved") {
      deps.store.forgetShapes?.(collection.id);
      return;
    }
  }
  throw new AppError("idempotency_in_progress", "The fields kept changing while this import started; try again");
}

export async function getImport(deps: UseCaseDeps, actor: Actor, id: string): Promise<ImportJobDto> {
  if (!isUuid(id)) throw notFound("Import");
  const job = await findImport(deps.db, id);
  // Someone else's import is none of this user's business.
  if (!job || job.userId !== actor.id) throw notFound("Import");
  return toJobDto(job);
}

/** GET /api/collections/:id/imports: the caller's own imports into it, newest first (an interrupted one to resume). */
export async function listMyImports(deps: UseCaseDeps, actor: Actor, collectionId: string): Promise<ImportJobDto[]> {
  if (!isUuid(collectionId)) throw notFound("Collection");
  const collection = await findCollectionForUser(deps.db, collectionId, actor.id);
  if (!collection) throw notFound("Collection");
  return (await listImports(deps.db, actor.id, collection.id, 20)).map(toJobDto);
}
