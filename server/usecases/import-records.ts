// CSV import: the body is spooled to a temporary file as it arrives (hashed on the way, never held in
// memory), the header is mapped to fields (lib/import.ts), every row is checked with the field rules,
// and valid rows are written in batches through the record writer, each with its create revision
// (the outbox trigger makes their events). One job per Idempotency-Key: the same key and file again
// creates nothing new; the same key with another file is a 422. A quick import answers 201; a long
// one answers 202 and goes on, its job at GET /api/imports/:id.
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { finished } from "node:stream/promises";
import { parse } from "csv-parse";
import { z } from "zod";
import { mapColumns, readRow } from "@/lib/import";
import { can, rolesFor } from "@/lib/permissions";
import { schemaChanges } from "@/lib/schema";
import type { CollectionDto, FieldDef, RecordValues } from "@/lib/types";
import { AppError, archived, badRequest, forbidden, invalid, notFound } from "@/server/errors";
import { findCollectionForUser, listWorkspaceMembers } from "@/server/persistence/collections-repo";
import { findImport, findImportByKey, insertImport, updateImport, type ImportFailure, type ImportJob } from "@/server/persistence/imports-repo";
import { findSchema, writeSchema } from "@/server/persistence/schema-repo";
import { isUuid, limitError } from "./access";
import type { Actor, UseCaseDeps } from "./deps";

export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;
const BATCH = 500;
/** Refused rows kept in the report; the count goes on. */
const REPORT_MAX = 1000;
/** How long the request waits for the import to finish before answering 202, unless `wait` says otherwise. */
const QUICK_MS = 2000;
/** A running job not heard from for this long was cut short (its process stopped). */
const INTERRUPTED_MS = 120_000;

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

export type ImportJobDto = {
  id: string;
  collectionId: string;
  status: "running" | "done" | "failed";
  total: number;
  processed: number;
  created: number;
  failedCount: number;
  failed: ImportFailure[];
  error: string | null;
  createdAt: string;
  updatedAt: string;
};

export type ImportPreview = {
  status: "preview";
  columns: { column: string; field: string | null }[];
  newFields: FieldDef[];
  total: number;
  valid: number;
  failedCount: number;
  failed: ImportFailure[];
};

export type ImportAnswer = { status: 200 | 201 | 202; body: ImportJobDto | ImportPreview; replayed: boolean };

function toJobDto(job: ImportJob, now = Date.now()): ImportJobDto {
  const isLost = job.status === "running" && now - Date.parse(job.updatedAt) > INTERRUPTED_MS;
  return {
    id: job.id,
    collectionId: job.collectionId,
    status: isLost ? "failed" : job.status,
    total: job.totalRows,
    processed: job.processedRows,
    created: job.created,
    failedCount: job.failedCount,
    failed: job.failed,
    error: isLost ? "The import was interrupted (the server stopped); rows written so far are kept" : job.error,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

const isCsv = (type: string | null) => !!type && /^(text\/csv|application\/csv)\s*(;|$)/i.test(type.trim());

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

function answerForExisting(job: ImportJob, hash: string): ImportAnswer {
  if (job.requestHash !== hash) throw new AppError("idempotency_mismatch", "This Idempotency-Key was already used for a different import");
  const dto = toJobDto(job);
  return { status: dto.status === "running" ? 202 : 201, body: dto, replayed: true };
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

  const { file, hash } = await spool(command.body, command.target);
  let isHandedOff = false;
  try {
    if (!isPreview && key !== null) {
      const existing = await findImportByKey(deps.db, actor.id, key);
      if (existing) return answerForExisting(existing, hash);
    }
    const { header, total } = await readHeader(file);
    const mapped = mapColumns(collection.fields, header, mapping, query.createFields === "true");
    if (!mapped.ok) throw invalid(mapped.problems, "Some columns cannot be imported");
    if (mapped.newFields.length > 0 && !can(collection.role, "collection.manage")) {
      throw forbidden("Only owners can create fields from an import: map these columns to fields or ignore them");
    }
    const fields = [...collection.fields, ...mapped.newFields];
    const members = fields.some((def) => def.type === "user") ? new Set((await listWorkspaceMembers(deps.db, collection.workspaceId)).map((m) => m.id)) : null;
    const rowsOf = { file, fields, columns: mapped.columns, members };

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

    const job = await insertImport(deps.db, { collectionId: collection.id, userId: actor.id, key: key!, requestHash: hash, totalRows: total });
    if (!job) {
      // A concurrent request with the same key got there first.
      const other = await findImportByKey(deps.db, actor.id, key!);
      if (other) return answerForExisting(other, hash);
      throw new AppError("idempotency_in_progress", "Another import with this Idempotency-Key is starting; try again");
    }
    if (mapped.newFields.length > 0) await addFields(deps, actor, collection, mapped.newFields);

    isHandedOff = true;
    const run = writeAll(deps, actor, collection, job.id, rowsOf).finally(() => rm(file, { force: true }));
    const quick = await Promise.race([run.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), query.wait ?? QUICK_MS).unref())]);
    const latest = toJobDto((await findImport(deps.db, job.id))!);
    return { status: quick ? 201 : 202, body: latest, replayed: false };
  } finally {
    if (!isHandedOff) await rm(file, { force: true });
  }
}

type Rows = { file: string; fields: FieldDef[]; columns: (string | null)[]; members: Set<string> | null };

/** Every data row read and checked (I3), plus person fields against the workspace's members. */
async function* checkedRows(rows: Rows): AsyncGenerator<{ row: number; values: RecordValues } | { row: number; fields: Record<string, string> }> {
  let row = 1; // the header is row 1, as in a spreadsheet
  let isHeader = true;
  for await (const cells of parser(rows.file)) {
    if (isHeader) {
      isHeader = false;
      continue;
    }
    row++;
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

async function writeAll(deps: UseCaseDeps, actor: Actor, collection: CollectionDto, jobId: string, rows: Rows): Promise<void> {
  const failed: ImportFailure[] = [];
  let failedCount = 0;
  let created = 0;
  let processed = 0;
  let batch: { row: number; values: RecordValues }[] = [];
  let reported = 0;
  // The write says whether the collection has limits (a limit may be added while the import runs).
  let hasLimits = collection.limits.length > 0;
  const stopped = (outcome: "not_found" | "forbidden" | "archived") =>
    outcome === "archived" ? archived() : new AppError("forbidden", "You may no longer import into this collection");

  const flush = async () => {
    if (batch.length === 0) return;
    if (!hasLimits) {
      const outcome = await deps.store.createMany({
        collectionId: collection.id,
        actorId: actor.id,
        roles: rolesFor("record.import"),
        rows: batch.map((b) => b.values),
      });
      if (outcome.outcome === "limited") hasLimits = true;
      else if (outcome.outcome !== "saved") throw stopped(outcome.outcome);
      else {
        created += outcome.records.length;
        // The events are in the outbox already (the revisions' trigger); one wake-up per batch is enough.
        const last = outcome.records[outcome.records.length - 1];
        if (last) deps.committed({ type: "created", record: last, by: actor });
      }
    }
    if (hasLimits) {
      // A limit is checked record by record: a row that would cross it is refused, the others go in.
      for (const item of batch) {
        const outcome = await deps.store.create({ collectionId: collection.id, actorId: actor.id, roles: rolesFor("record.import"), values: item.values });
        if (outcome.outcome === "saved") {
          created++;
          deps.committed({ type: "created", record: outcome.record, by: actor });
        } else if (outcome.outcome === "limit") {
          failedCount++;
          if (failed.length < REPORT_MAX) failed.push({ row: item.row, fields: { [outcome.refusal.field]: limitError(outcome.refusal).message } });
        } else throw stopped(outcome.outcome);
      }
    }
    processed += batch.length;
    batch = [];
    // The report so far goes with the progress (only when it grew: it holds at most REPORT_MAX rows).
    const isReportNew = failed.length !== reported;
    reported = failed.length;
    await updateImport(deps.db, jobId, { processedRows: processed, created, failedCount, ...(isReportNew ? { failed } : {}) });
  };

  try {
    for await (const result of checkedRows(rows)) {
      if ("fields" in result) {
        failedCount++;
        processed++;
        if (failed.length < REPORT_MAX) failed.push(result);
        continue;
      }
      batch.push(result);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    await updateImport(deps.db, jobId, { processedRows: processed, created, failedCount, failed, status: "done" });
  } catch (error) {
    const message = error instanceof AppError ? error.message : "The import stopped on an unexpected error; rows written so far are kept";
    if (!(error instanceof AppError)) console.error("import failed", { jobId, error });
    await updateImport(deps.db, jobId, { processedRows: processed, created, failedCount, failed, status: "failed", error: message }).catch(() => {});
  }
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
