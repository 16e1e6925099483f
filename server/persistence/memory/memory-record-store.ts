// The record store in memory: the same contract as PostgreSQL's (record-store.contract.ts runs
// against both), for use-case tests that need no database. A write runs without awaiting
// anything, so it is as atomic here as the one statement is there.
import { diffValues } from "@/lib/diff";
import type { CollectionLimit, CounterIntent, FieldChanges, FieldDef, RecordDto, RecordValues, RevisionDto, Role } from "@/lib/types";
import type {
  CreateInput,
  CreateManyInput,
  CreateManyOutcome,
  CreateOutcome,
  IdempotencyWrite,
  ImportCheckpoint,
  LimitRefusal,
  RecordAccess,
  RecordShape,
  RecordStore,
  StoredIdempotency,
  TransferInput,
  TransferOutcome,
  WriteInput,
  WriteOutcome,
} from "../record-store";
import { IdempotencyConflict } from "../record-store";

type StoredRecord = Omit<RecordDto, "updatedBy"> & { updatedById: string };
/** An import job as the writer sees it: its lease and the progress its writes stored. */
type StoredImport = { leaseToken: string; isRunning: boolean; progress: Omit<ImportCheckpoint, "importId" | "leaseToken" | "leaseMs"> | null };
type Collection = { id: string; workspaceId: string; fields: FieldDef[]; limits: CollectionLimit[]; isArchived?: boolean };

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export class MemoryRecordStore implements RecordStore {
  readonly users = new Map<string, string>();
  readonly memberships = new Map<string, Role>();
  readonly collections = new Map<string, Collection>();
  readonly totals = new Map<string, number>();
  readonly imports = new Map<string, StoredImport>();
  private readonly records = new Map<string, StoredRecord>();
  private readonly revisions = new Map<string, RevisionDto[]>();
  private readonly keys = new Map<string, StoredIdempotency>();
  private clock = Date.parse("2026-01-01T00:00:00Z");

  // --- set-up, as a test fixture needs it -------------------------------------------------

  addUser(id: string, name: string) {
    this.users.set(id, name);
  }
  setRole(workspaceId: string, userId: string, role: Role | null) {
    if (role) this.memberships.set(`${workspaceId}:${userId}`, role);
    else this.memberships.delete(`${workspaceId}:${userId}`);
  }
  addCollection(collection: Collection) {
    this.collections.set(collection.id, collection);
    for (const limit of collection.limits) this.totals.set(`${collection.id}:${limit.field}`, 0);
  }
  setArchived(collectionId: string, isArchived: boolean) {
    this.collections.get(collectionId)!.isArchived = isArchived;
  }
  countRecords(collectionId: string): number {
    return [...this.records.values()].filter((r) => r.collectionId === collectionId).length;
  }
  /** A running import holding `leaseToken` (a takeover sets another). */
  setImportLease(importId: string, leaseToken: string) {
    const current = this.imports.get(importId);
    this.imports.set(importId, { leaseToken, isRunning: true, progress: current?.progress ?? null });
  }

  // --- reads -----------------------------------------------------------------------------

  async shape(recordId: string): Promise<RecordShape | null> {
    const record = this.records.get(recordId);
    const collection = record && this.collections.get(record.collectionId);
    if (!record || !collection) return null;
    return { recordId, collectionId: collection.id, workspaceId: collection.workspaceId, fields: collection.fields, limits: collection.limits };
  }

  async access(recordId: string, userId: string): Promise<RecordAccess | null> {
    const record = this.records.get(recordId);
    const collection = record && this.collections.get(record.collectionId);
    if (!record || !collection) return null;
    const role = this.memberships.get(`${collection.workspaceId}:${userId}`) ?? null;
    return {
      record: this.dto(record),
      fields: collection.fields,
      limits: collection.limits,
      workspaceId: collection.workspaceId,
      role,
      isArchived: !!collection.isArchived,
    };
  }

  async revision(recordId: string, version: number): Promise<RevisionDto | null> {
    const found = this.revisions.get(recordId)?.find((r) => r.version === version);
    return found ? structuredClone(found) : null;
  }

  async recordAt(recordId: string, version: number): Promise<RecordDto | null> {
    const record = this.records.get(recordId);
    const revision = await this.revision(recordId, version);
    if (!record || !revision) return null;
    return {
      ...this.dto(record),
      version,
      values: revision.snapshot ?? {},
      updatedAt: revision.createdAt,
      updatedBy: revision.author,
      deletedAt: revision.kind === "delete" ? revision.createdAt : null,
    };
  }

  async isMember(workspaceId: string, userId: string): Promise<boolean> {
    return this.memberships.has(`${workspaceId}:${userId}`);
  }

  async findIdempotency(userId: string, key: string): Promise<StoredIdempotency | null> {
    return this.keys.get(`${userId}:${key}`) ?? null;
  }

  async counterIntents(recordId: string, afterVersion: number, throughVersion: number, keys: string[]): Promise<Record<string, CounterIntent>> {
    const out: Record<string, CounterIntent> = {};
    const revisions = (this.revisions.get(recordId) ?? []).filter((r) => r.version > afterVersion && r.version <= throughVersion);
    for (const key of keys) {
      const changes = revisions.filter((r) => Object.hasOwn(r.changes, key)).map((r) => r.changes[key]!);
      if (changes.length === 0) continue;
      if (changes.every((c) => c.add !== undefined)) out[key] = { add: changes.reduce((sum, c) => sum + c.add!, 0) };
      else out[key] = { set: typeof changes[changes.length - 1]!.to === "number" ? (changes[changes.length - 1]!.to as number) : null };
    }
    return out;
  }

  // --- writes ----------------------------------------------------------------------------

  /** What create and createMany refuse before writing anything, in the order the statements do. */
  private openForCreate(
    input: Pick<CreateInput, "collectionId" | "actorId" | "roles" | "checkpoint">,
  ): { collection: Collection } | Exclude<CreateOutcome, { outcome: "saved" | "limit" }> {
    const collection = this.collections.get(input.collectionId);
    if (!collection) return { outcome: "not_found" };
    const role = this.memberships.get(`${collection.workspaceId}:${input.actorId}`);
    if (!role) return { outcome: "not_found" };
    if (!input.roles.includes(role)) return { outcome: "forbidden", role };
    if (collection.isArchived) return { outcome: "archived" };
    if (input.checkpoint && !this.holdsLease(input.checkpoint)) return { outcome: "superseded" };
    return { collection };
  }

  async create(input: CreateInput): Promise<CreateOutcome> {
    const opened = this.openForCreate(input);
    if ("outcome" in opened) return opened;
    const { collection } = opened;
    const moves = collection.limits.map((limit) => ({ limit, delta: numberOf(input.values[limit.field]) }));
    const refusal = this.refuseTotals(collection.id, moves);
    if (refusal) return { outcome: "limit", refusal };
    this.checkKey(input.idempotency);
    this.storeCheckpoint(input.checkpoint);
    const now = this.tick();
    const record: StoredRecord = {
      id: crypto.randomUUID(),
      collectionId: collection.id,
      version: 1,
      values: structuredClone(input.values),
      createdAt: now,
      updatedAt: now,
      updatedById: input.actorId,
      deletedAt: null,
    };
    const changes = diffValues({}, record.values);
    this.records.set(record.id, record);
    this.revisions.set(record.id, []);
    this.commit(record, "create", changes, null, input.idempotency, collection, moves);
    return { outcome: "saved", record: this.dto(record), changes };
  }

  async createMany(input: CreateManyInput): Promise<CreateManyOutcome> {
    if (input.rows.length === 0) return { outcome: "saved", records: [] };
    const opened = this.openForCreate(input);
    if ("outcome" in opened) return opened;
    const { collection } = opened;
    if (collection.limits.length > 0) return { outcome: "limited" };
    const records: RecordDto[] = [];
    for (const values of input.rows) {
      const outcome = await this.create({ collectionId: input.collectionId, actorId: input.actorId, roles: input.roles, values });
      if (outcome.outcome !== "saved") throw new Error(`create in an import batch: ${outcome.outcome}`);
      records.push(outcome.record);
    }
    this.storeCheckpoint(input.checkpoint);
    return { outcome: "saved", records };
  }

  async write(input: WriteInput): Promise<WriteOutcome> {
    const record = this.records.get(input.recordId);
    const collection = record && this.collections.get(record.collectionId);
    if (!record || !collection) return { outcome: "not_found" };
    const role = this.memberships.get(`${collection.workspaceId}:${input.actorId}`);
    if (!role && input.roles) return { outcome: "not_found" };
    if (role && input.roles && !input.roles.includes(role)) return { outcome: "forbidden", role };
    if (input.roles && collection.isArchived) return { outcome: "archived" };
    if (input.lifecycle === "undelete" && !record.deletedAt) return { outcome: "not_deleted", current: this.dto(record) };
    if (input.lifecycle !== "undelete" && !input.isDeletedOk && record.deletedAt) return { outcome: "gone", current: this.dto(record) };
    if (input.expectedVersion !== null && record.version !== input.expectedVersion) {
      const base = this.revisions.get(record.id)?.find((r) => r.version === input.expectedVersion)?.snapshot ?? {};
      return { outcome: "stale", current: this.dto(record), base: { version: input.expectedVersion, values: structuredClone(base) } };
    }
    const next: RecordValues = { ...record.values, ...structuredClone(input.set) };
    for (const [key, delta] of Object.entries(input.add)) {
      const before = numberOf(record.values[key]);
      const bounds = collection.fields.find((f) => f.key === key)?.options ?? {};
      const after = before + delta;
      if ((bounds.min !== undefined && after < bounds.min) || (bounds.max !== undefined && after > bounds.max) || Math.abs(after) > MAX_SAFE) {
        return { outcome: "limit", refusal: { kind: "bound", field: key, min: bounds.min, max: bounds.max, current: before, requested: delta } };
      }
      next[key] = after;
    }
    const changes: FieldChanges = {};
    for (const [key, change] of Object.entries(diffValues(record.values, next))) {
      if (!Object.hasOwn(input.set, key) && !Object.hasOwn(input.add, key)) continue;
      changes[key] = Object.hasOwn(input.add, key) ? { ...change, add: input.add[key] } : change;
    }
    if (Object.keys(changes).length === 0 && !input.lifecycle) {
      this.checkKey(input.idempotency);
      if (input.idempotency) this.keys.set(`${input.idempotency.userId}:${input.idempotency.key}`, keyOf(input.idempotency, record));
      return { outcome: "unchanged", record: this.dto(record) };
    }
    const isDeletedAfter = input.lifecycle === "delete" ? true : input.lifecycle === "undelete" ? false : record.deletedAt !== null;
    const contribution = (values: RecordValues, isDeleted: boolean, field: string) => (isDeleted ? 0 : numberOf(values[field]));
    const moves = collection.limits.map((limit) => ({
      limit,
      delta: contribution(next, isDeletedAfter, limit.field) - contribution(record.values, record.deletedAt !== null, limit.field),
    }));
    const refusal = this.refuseTotals(collection.id, moves);
    if (refusal) return { outcome: "limit", refusal };
    this.checkKey(input.idempotency);
    const now = this.tick();
    // A deleted record changed as it stays deleted keeps who deleted it and when.
    const isKeptDeleted = record.deletedAt !== null && !input.lifecycle;
    Object.assign(record, {
      values: next,
      version: record.version + 1,
      updatedAt: isKeptDeleted ? record.updatedAt : now,
      updatedById: isKeptDeleted ? record.updatedById : input.actorId,
      deletedAt: input.lifecycle === "delete" ? now : input.lifecycle === "undelete" ? null : record.deletedAt,
    });
    this.commit(record, input.kind, changes, input.meta, input.idempotency, collection, moves, { authorId: input.actorId, at: now });
    return { outcome: "saved", record: this.dto(record), changes };
  }

  async transfer(input: TransferInput): Promise<TransferOutcome> {
    const from = this.records.get(input.fromId);
    const to = this.records.get(input.toId);
    const collection = this.collections.get(input.collectionId);
    if (!from || !to || !collection || from.deletedAt || to.deletedAt || from.collectionId !== collection.id || to.collectionId !== collection.id) {
      return { outcome: "not_found" };
    }
    const role = this.memberships.get(`${collection.workspaceId}:${input.actorId}`);
    if (!role) return { outcome: "not_found" };
    if (!input.roles.includes(role)) return { outcome: "forbidden", role };
    if (collection.isArchived) return { outcome: "archived" };
    const bounds = collection.fields.find((f) => f.key === input.field)?.options ?? {};
    for (const [record, delta] of [
      [from, -input.amount],
      [to, input.amount],
    ] as const) {
      const before = numberOf(record.values[input.field]);
      const after = before + delta;
      if ((bounds.min !== undefined && after < bounds.min) || (bounds.max !== undefined && after > bounds.max) || Math.abs(after) > MAX_SAFE) {
        return {
          outcome: "limit",
          refusal: { kind: "bound", field: input.field, min: bounds.min, max: bounds.max, current: before, requested: delta, recordId: record.id },
        };
      }
    }
    this.checkKey(input.idempotency);
    const now = this.tick();
    for (const [record, delta, other] of [
      [from, -input.amount, to.id],
      [to, input.amount, from.id],
    ] as const) {
      const before = numberOf(record.values[input.field]);
      Object.assign(record, {
        values: { ...record.values, [input.field]: before + delta },
        version: record.version + 1,
        updatedAt: now,
        updatedById: input.actorId,
      });
      const changes = { [input.field]: { from: before, to: before + delta, add: delta } };
      const meta = { transfer: { field: input.field, amount: input.amount, direction: delta < 0 ? "out" : "in", other } } as const;
      this.commit(record, "save", changes, meta, undefined, collection, []);
    }
    if (input.idempotency) {
      this.keys.set(`${input.idempotency.userId}:${input.idempotency.key}`, {
        ...keyOf(input.idempotency, from),
        body: { recordId: from.id, version: from.version, also: { recordId: to.id, version: to.version } },
      });
    }
    return { outcome: "saved", from: this.dto(from), to: this.dto(to) };
  }

  // --- helpers -----------------------------------------------------------------------------

  private refuseTotals(collectionId: string, moves: { limit: CollectionLimit; delta: number }[]): LimitRefusal | null {
    for (const { limit, delta } of moves) {
      const used = this.totals.get(`${collectionId}:${limit.field}`);
      if (delta === 0) continue;
      if (used === undefined || (delta > 0 && used + delta > limit.max)) {
        return { kind: "sum", field: limit.field, max: limit.max, used: used ?? 0, requested: delta };
      }
    }
    return null;
  }

  private holdsLease(checkpoint: ImportCheckpoint): boolean {
    const job = this.imports.get(checkpoint.importId);
    return !!job && job.isRunning && job.leaseToken === checkpoint.leaseToken;
  }

  private storeCheckpoint(checkpoint: ImportCheckpoint | undefined) {
    if (!checkpoint) return;
    const job = this.imports.get(checkpoint.importId)!;
    const { processed, created, failedCount, failed } = checkpoint;
    job.progress = { processed, created, failedCount, failed: structuredClone(failed ?? job.progress?.failed ?? []) };
  }

  private checkKey(idempotency: IdempotencyWrite | undefined) {
    if (idempotency && this.keys.has(`${idempotency.userId}:${idempotency.key}`)) throw new IdempotencyConflict();
  }

  private commit(
    record: StoredRecord,
    kind: RevisionDto["kind"],
    changes: FieldChanges,
    meta: RevisionDto["meta"],
    idempotency: IdempotencyWrite | undefined,
    collection: Collection,
    moves: { limit: CollectionLimit; delta: number }[],
    by: { authorId: string; at: string } = { authorId: record.updatedById, at: record.updatedAt },
  ) {
    for (const { limit, delta } of moves) {
      const key = `${collection.id}:${limit.field}`;
      if (delta !== 0) this.totals.set(key, (this.totals.get(key) ?? 0) + delta);
    }
    this.revisions.get(record.id)!.push({
      version: record.version,
      kind,
      author: { id: by.authorId, name: this.users.get(by.authorId) ?? "" },
      createdAt: by.at,
      changes: structuredClone(changes),
      snapshot: structuredClone(record.values),
      meta: structuredClone(meta),
    });
    if (idempotency) this.keys.set(`${idempotency.userId}:${idempotency.key}`, keyOf(idempotency, record));
  }

  private dto(record: StoredRecord): RecordDto {
    const { updatedById, ...rest } = structuredClone(record);
    return { ...rest, updatedBy: { id: updatedById, name: this.users.get(updatedById) ?? "" } };
  }

  private tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }
}

const numberOf = (value: unknown) => (typeof value === "number" ? value : 0);

const keyOf = (idempotency: IdempotencyWrite, record: StoredRecord): StoredIdempotency => ({
  requestHash: idempotency.requestHash,
  status: idempotency.status,
  body: { recordId: record.id, version: record.version },
});
