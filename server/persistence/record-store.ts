// The one way records change, as the use cases see it: a store whose writes return a typed outcome
// for every case, so no caller needs a second path to learn why nothing was written. Two
// implementations pass one contract suite (record-store.contract.ts): PostgreSQL (pg-record-store.ts),
// where each write is one statement, and memory (memory-record-store.ts), for fast use-case tests.
import type { CollectionLimit, CounterIntent, FieldChanges, FieldDef, RecordDto, RecordValues, RevisionDto, RevisionKind, Role } from "@/lib/types";
import type { RevisionMeta } from "@/lib/revision-meta";
import type { ImportFailure } from "@/lib/import";

/** What a save needs to know about a record before it writes; never carries access. */
export type RecordShape = { recordId: string; collectionId: string; workspaceId: string; fields: FieldDef[]; limits: CollectionLimit[] };

/** The record with its collection's fields and the caller's role (null: not a member). */
export type RecordAccess = {
  record: RecordDto;
  fields: FieldDef[];
  limits: CollectionLimit[];
  workspaceId: string;
  role: Role | null;
  /** the collection is archived (as read now: the write itself checks again, SPEC P4) */
  isArchived: boolean;
};

export type IdempotencyWrite = { userId: string; key: string; requestHash: string; status: number };
export type StoredIdempotency = {
  requestHash: string;
  status: number;
  /** the version the request wrote (`also`: the second record of a transfer) */
  body: { recordId: string; version: number; also?: { recordId: string; version: number } };
};

export type WriteInput = {
  recordId: string;
  actorId: string;
  /** the roles that may make this change (rolesFor(action)); null: a system write on behalf of accepted edits */
  roles: Role[] | null;
  /** the version the change is based on; null applies to whatever is current (operations, checkpoints) */
  expectedVersion: number | null;
  /** values to set */
  set: RecordValues;
  /** counter deltas, applied to the current value in the write itself and checked against the field's bounds there */
  add: Record<string, number>;
  lifecycle?: "delete" | "undelete";
  /**
   * The change applies whether the record is live or deleted, and leaves it so (a type change's
   * conversion, so that an undelete never brings back a value of the old type). A deleted record
   * keeps who deleted it and when (updatedBy, updatedAt: what the trash shows); its revision names the actor.
   */
  isDeletedOk?: boolean;
  kind: Exclude<RevisionKind, "create">;
  meta: RevisionMeta;
  idempotency?: IdempotencyWrite;
};

export type LimitRefusal =
  | { kind: "bound"; field: string; min?: number; max?: number; current: number; requested: number }
  | { kind: "sum"; field: string; max: number; used: number; requested: number };

export type WriteOutcome =
  | { outcome: "saved"; record: RecordDto; changes: FieldChanges }
  /** nothing differs from the current record: no new version (an idempotency key still points at it) */
  | { outcome: "unchanged"; record: RecordDto }
  /** the record moved on since expectedVersion; the current row and the values at expectedVersion */
  | { outcome: "stale"; current: RecordDto; base: { version: number; values: RecordValues } }
  /** absent, or in a workspace the actor is not a member of */
  | { outcome: "not_found" }
  | { outcome: "forbidden"; role: Role }
  /** deleted (a write other than undelete) */
  | { outcome: "gone"; current: RecordDto }
  /** undelete of a record that is not deleted */
  | { outcome: "not_deleted"; current: RecordDto }
  /** the collection is archived: its records are read-only (SPEC P4) */
  | { outcome: "archived" }
  | { outcome: "limit"; refusal: LimitRefusal };

/**
 * An import's progress, stored by the very write that creates its rows (as an idempotency key is),
 * and only while the import still holds its lease: a process that took the import over (its first
 * process stopped) holds another token, and a write of the old one then creates nothing. Counts are
 * as of the end of this write, over the file's data rows.
 */
export type ImportCheckpoint = {
  importId: string;
  leaseToken: string;
  /** the lease is extended by this much */
  leaseMs: number;
  /** data rows handled (created, refused, invalid), records created, rows refused */
  processed: number;
  created: number;
  failedCount: number;
  /** the report of refused rows so far, when it changed */
  failed?: ImportFailure[];
};

export type CreateInput = {
  collectionId: string;
  actorId: string;
  roles: Role[];
  values: RecordValues;
  idempotency?: IdempotencyWrite;
  checkpoint?: ImportCheckpoint;
};

export type CreateOutcome =
  | { outcome: "saved"; record: RecordDto; changes: FieldChanges }
  | { outcome: "not_found" }
  | { outcome: "forbidden"; role: Role }
  | { outcome: "archived" }
  /** the import's lease is held by another process now: nothing written */
  | { outcome: "superseded" }
  | { outcome: "limit"; refusal: LimitRefusal };

/** Many new records of one collection (an import batch): every record with its create revision, or none. */
export type CreateManyInput = { collectionId: string; actorId: string; roles: Role[]; rows: RecordValues[]; checkpoint?: ImportCheckpoint };

export type CreateManyOutcome =
  | { outcome: "saved"; records: RecordDto[] }
  | { outcome: "not_found" }
  | { outcome: "forbidden"; role: Role }
  | { outcome: "archived" }
  | { outcome: "superseded" }
  /** the collection has limits (as the write found it): nothing written; create the rows one by one, each checked */
  | { outcome: "limited" };

export type TransferInput = {
  collectionId: string;
  field: string;
  fromId: string;
  toId: string;
  /** a whole number > 0, taken from `fromId` and given to `toId` */
  amount: number;
  actorId: string;
  roles: Role[];
  idempotency?: IdempotencyWrite;
};

export type TransferOutcome =
  | { outcome: "saved"; from: RecordDto; to: RecordDto }
  /** either record absent, deleted, of another collection, or the actor not a member */
  | { outcome: "not_found" }
  | { outcome: "forbidden"; role: Role }
  | { outcome: "archived" }
  | { outcome: "limit"; refusal: LimitRefusal & { recordId?: string } };

export interface RecordStore {
  /** The record's collection, workspace and fields; may be cached briefly (a record never changes collection). */
  shape(recordId: string): Promise<RecordShape | null>;
  /** The record as the user may see it; null when absent. `role` is null for a non-member. */
  access(recordId: string, userId: string): Promise<RecordAccess | null>;
  revision(recordId: string, version: number): Promise<RevisionDto | null>;
  /** The record as one of its versions left it, for replaying an idempotent answer. */
  recordAt(recordId: string, version: number): Promise<RecordDto | null>;
  isMember(workspaceId: string, userId: string): Promise<boolean>;
  findIdempotency(userId: string, key: string): Promise<StoredIdempotency | null>;
  /**
   * How the versions after `afterVersion`, up to `throughVersion`, changed each of `keys`: by
   * operations only (`add`, their sum) or by any typed value (`set`, to the value it has now).
   * Keys those versions did not change are absent.
   */
  counterIntents(recordId: string, afterVersion: number, throughVersion: number, keys: string[]): Promise<Record<string, CounterIntent>>;
  /** Every record change but creation: save, merge, operations, restore, delete, undelete, checkpoint. */
  write(input: WriteInput): Promise<WriteOutcome>;
  create(input: CreateInput): Promise<CreateOutcome>;
  /** An import's batch in one statement; a collection with limits answers "limited" (its rows go through create one by one). */
  createMany(input: CreateManyInput): Promise<CreateManyOutcome>;
  /** A collection's schema changed: drop what is cached of its records' shapes. */
  forgetShapes?(collectionId: string): void;
  /** Moves quantity between two records of one collection: both change, with a revision each, or neither. */
  transfer(input: TransferInput): Promise<TransferOutcome>;
}

/** Another request with the same Idempotency-Key committed first; the caller replays its answer. */
export class IdempotencyConflict extends Error {
  constructor() {
    super("idempotency key already used by a concurrent request");
    this.name = "IdempotencyConflict";
  }
}
