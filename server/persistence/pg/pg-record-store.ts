// The record store on PostgreSQL: each write is one named statement (write-sql.ts), planned once per
// connection; the reads the use cases need around it are plain pg too (they are on every request).
import type { CollectionLimit, CounterIntent, FieldChanges, FieldDef, RecordDto, RecordValues, RevisionDto, Role } from "@/lib/types";
import type { QueryConfig, QueryResult, QueryResultRow } from "pg";
import type { Db } from "../prisma";
import { NO_OBSERVER, type Observer } from "@/server/metrics/observer";
import { getPgConstraint, getPgErrorCode, LIMIT_REFUSED, TRANSIENT_CODES, UNIQUE_VIOLATION } from "../pg-errors";
import { withTransientRetry } from "../retry";
import { IdempotencyConflict } from "../record-store";
import type {
  CreateInput,
  CreateManyInput,
  CreateManyOutcome,
  CreateOutcome,
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
import { toRecordDto, toRevisionDto, type RecordRow, type RevisionRow } from "../rows";
import { planOperations } from "@/lib/ops-batch";
import { CREATE_MANY_SQL, CREATE_SQL, LIMIT_STATE_SQL, OPS_BURST_SQL, TRANSFER_SQL, WRITE_SQL } from "./write-sql";

type WriteRow = RecordRow & {
  outcome: "saved" | "refused";
  changes: FieldChanges | null;
  role: Role | null;
  baseSnapshot: RecordValues | null;
  boundViolations: { field: string; min: string | null; max: string | null; current: string; requested: string }[] | null;
  isLocked: boolean;
  /** the statement's time until it held the row lock; null when it locked nothing */
  lockMs: number | null;
  isArchived: boolean;
};

type BoundViolation = NonNullable<WriteRow["boundViolations"]>[number];

// A record never changes collection; its fields change only through a schema edit, which calls
// forgetShapes. Access is never cached: every write checks membership in its own statement.
const SHAPE_TTL_MS = 60_000;
const SHAPE_MAX = 50_000;
/** Attempts of a write whose row was changed between this statement's snapshot and its lock. */
const RACE_ATTEMPTS = 4;
/** Operations on one record written by one statement at most. */
const MAX_BURST = 64;

type Waiting = { input: WriteInput; resolve: (outcome: WriteOutcome) => void; reject: (error: unknown) => void };
/** A record with a write of operations in flight from this process: those arriving meanwhile wait, and go together. */
type HotRecord = { waiting: Waiting[]; base: { values: RecordValues; version: number } | null };

/** Operations only, for a member, on whatever the version is: what a burst may carry. */
function isBurstable(input: WriteInput): boolean {
  return (
    input.expectedVersion === null &&
    input.roles !== null &&
    input.kind === "save" &&
    !input.lifecycle &&
    !input.isDeletedOk &&
    input.meta == null &&
    Object.keys(input.set).length === 0 &&
    Object.keys(input.add).length > 0
  );
}

export class PgRecordStore implements RecordStore {
  private shapes = new Map<string, { shape: RecordShape; until: number }>();
  private hot = new Map<string, HotRecord>();

  constructor(
    private readonly db: Db,
    /** told of every write's lock wait and every retry (server/metrics) */
    private readonly observe: Observer = NO_OBSERVER,
  ) {}

  async shape(recordId: string): Promise<RecordShape | null> {
    const now = Date.now();
    const hit = this.shapes.get(recordId);
    if (hit && hit.until > now) return hit.shape;
    const { rows } = await this.db.pool.query<RecordShape>({
      name: "tandem_record_shape",
      text: `SELECT r.id AS "recordId", r."collectionId", c."workspaceId", c.fields, c.limits
             FROM records r JOIN collections c ON c.id = r."collectionId" WHERE r.id = $1::uuid`,
      values: [recordId],
    });
    const shape = rows[0] ?? null;
    if (shape) {
      if (this.shapes.size >= SHAPE_MAX) this.shapes.delete(this.shapes.keys().next().value!);
      this.shapes.set(recordId, { shape, until: now + SHAPE_TTL_MS });
    }
    return shape;
  }

  /** A collection's schema changed: its records' cached shapes are dropped. */
  forgetShapes(collectionId?: string): void {
    if (!collectionId) return this.shapes.clear();
    for (const [key, { shape }] of this.shapes) if (shape.collectionId === collectionId) this.shapes.delete(key);
  }

  async access(recordId: string, userId: string): Promise<RecordAccess | null> {
    type AccessRow = RecordRow & { fields: FieldDef[]; limits: CollectionLimit[]; workspaceId: string; role: Role | null; isArchived: boolean };
    const { rows } = await this.db.pool.query<AccessRow>({
      name: "tandem_record_access",
      text: `SELECT r.id, r."collectionId", r."values", r.version, r."createdAt", r."updatedAt", r."updatedById",
                    u.name AS "updatedByName", r."deletedAt", c.fields, c.limits, c."workspaceId", m.role, c."archivedAt" IS NOT NULL AS "isArchived"
             FROM records r
             JOIN collections c ON c.id = r."collectionId"
             JOIN users u ON u.id = r."updatedById"
             LEFT JOIN memberships m ON m."workspaceId" = c."workspaceId" AND m."userId" = $2::text
             WHERE r.id = $1::uuid`,
      values: [recordId, userId],
    });
    const row = rows[0];
    if (!row) return null;
    return { record: toRecordDto(row), fields: row.fields, limits: row.limits, workspaceId: row.workspaceId, role: row.role, isArchived: row.isArchived };
  }

  async revision(recordId: string, version: number): Promise<RevisionDto | null> {
    const { rows } = await this.db.pool.query<RevisionRow>({
      name: "tandem_find_revision",
      text: `SELECT v.version, v.kind, v."authorId", u.name AS "authorName", v."createdAt", v.changes, v.snapshot, v.meta
             FROM revisions v JOIN users u ON u.id = v."authorId"
             WHERE v."recordId" = $1::uuid AND v.version = $2::int`,
      values: [recordId, version],
    });
    return rows[0] ? toRevisionDto(rows[0]) : null;
  }

  async recordAt(recordId: string, version: number): Promise<RecordDto | null> {
    const { rows } = await this.db.pool.query<RecordRow>({
      name: "tandem_record_at",
      text: `SELECT r.id, r."collectionId", v.snapshot AS "values", v.version, r."createdAt", v."createdAt" AS "updatedAt",
                    v."authorId" AS "updatedById", u.name AS "updatedByName",
                    CASE WHEN v.kind = 'delete' THEN v."createdAt" END AS "deletedAt"
             FROM revisions v JOIN records r ON r.id = v."recordId" JOIN users u ON u.id = v."authorId"
             WHERE v."recordId" = $1::uuid AND v.version = $2::int`,
      values: [recordId, version],
    });
    return rows[0] ? toRecordDto(rows[0]) : null;
  }

  async isMember(workspaceId: string, userId: string): Promise<boolean> {
    const { rows } = await this.db.pool.query({
      name: "tandem_is_member",
      text: `SELECT 1 FROM memberships WHERE "workspaceId" = $1::uuid AND "userId" = $2::text`,
      values: [workspaceId, userId],
    });
    return rows.length > 0;
  }

  async findIdempotency(userId: string, key: string): Promise<StoredIdempotency | null> {
    const { rows } = await this.db.pool.query<StoredIdempotency>({
      name: "tandem_find_idempotency",
      text: `SELECT "requestHash", status, body FROM idempotency_keys WHERE "userId" = $1::text AND key = $2::text`,
      values: [userId, key],
    });
    return rows[0] ?? null;
  }

  async counterIntents(recordId: string, afterVersion: number, throughVersion: number, keys: string[]): Promise<Record<string, CounterIntent>> {
    if (keys.length === 0 || throughVersion <= afterVersion) return {};
    const { rows } = await this.db.pool.query<{ key: string; isOps: boolean; delta: string | null; now: unknown }>({
      name: "tandem_counter_intents",
      text: `SELECT k AS key, bool_and(v.changes -> k ? 'add') AS "isOps", sum((v.changes -> k ->> 'add')::numeric) AS delta,
                    (array_agg(v.changes -> k -> 'to' ORDER BY v.version DESC))[1] AS now
             FROM revisions v CROSS JOIN unnest($4::text[]) AS k
             WHERE v."recordId" = $1::uuid AND v.version > $2::int AND v.version <= $3::int AND v.changes ? k
             GROUP BY k`,
      values: [recordId, afterVersion, throughVersion, keys],
    });
    return Object.fromEntries(
      rows.map((row) => [row.key, row.isOps ? { add: Number(row.delta ?? 0) } : { set: typeof row.now === "number" ? row.now : null }]),
    );
  }

  /**
   * Operations on a record that already has a write of operations in flight from this process
   * wait for it and are then written together (writeBurst): on a hot counter the row lock is held
   * once per burst instead of once per operation. Everything else is one statement per write.
   */
  async write(input: WriteInput): Promise<WriteOutcome> {
    if (!isBurstable(input)) return this.writeOne(input);
    const busy = this.hot.get(input.recordId);
    if (busy) return new Promise<WriteOutcome>((resolve, reject) => busy.waiting.push({ input, resolve, reject }));
    const hot: HotRecord = { waiting: [], base: null };
    this.hot.set(input.recordId, hot);
    try {
      const outcome = await this.writeOne(input);
      hot.base = baseOf(outcome) ?? hot.base;
      return outcome;
    } finally {
      void this.drain(input.recordId, hot);
    }
  }

  private async drain(recordId: string, hot: HotRecord): Promise<void> {
    while (hot.waiting.length > 0) {
      const burst = hot.waiting.splice(0, MAX_BURST);
      try {
        await this.writeBurst(recordId, hot, burst);
      } catch (error) {
        for (const waiting of burst) waiting.reject(error);
      }
    }
    this.hot.delete(recordId);
  }

  /**
   * The operations that waited, planned in order on the version this process wrote last
   * (lib/ops-batch.ts) and written by one statement guarded by that version. Any that the plan
   * cannot decide, and all of them when the guard finds the record moved on (another process
   * wrote, the schema changed, a limit refused), are written one by one. A single operation that
   * waited goes by the burst statement too: on a hot counter it was a little faster than the
   * one-operation writer's (README, Performance).
   */
  private async writeBurst(recordId: string, hot: HotRecord, burst: Waiting[]): Promise<void> {
    const alone = async (waiting: Waiting) => {
      try {
        const outcome = await this.writeOne(waiting.input);
        hot.base = baseOf(outcome) ?? hot.base;
        waiting.resolve(outcome);
      } catch (error) {
        waiting.reject(error);
      }
    };
    const shape = hot.base ? await this.shape(recordId) : null;
    if (!shape || !hot.base) {
      for (const waiting of burst) await alone(waiting);
      return;
    }
    const base = hot.base;
    const plan = planOperations(
      base.values,
      shape.fields,
      burst.map((w) => w.input.add),
    );
    const planned = burst.flatMap((waiting, i) => {
      const step = plan[i]!;
      return step.isPlanned ? [{ waiting, step }] : [];
    });
    const rest = burst.filter((_, i) => !plan[i]!.isPlanned);
    const written = planned.length > 0 ? await this.writePlannedBurst(recordId, base, shape.fields, planned) : null;
    if (written) {
      planned.forEach(({ waiting }, i) => waiting.resolve(written[i]!));
      const last = written.at(-1)!;
      if (last.outcome === "saved") hot.base = { values: last.record.values, version: last.record.version };
    } else {
      for (const { waiting } of planned) await alone(waiting);
    }
    for (const waiting of rest) await alone(waiting);
  }

  /** One statement for the planned operations; null when its guard wrote nothing. */
  private async writePlannedBurst(
    recordId: string,
    base: { values: RecordValues; version: number },
    fields: FieldDef[],
    planned: { waiting: Waiting; step: Extract<ReturnType<typeof planOperations>[number], { isPlanned: true }> }[],
  ): Promise<WriteOutcome[] | null> {
    const counterKeys = new Set(planned.flatMap(({ step }) => Object.keys(step.changes)));
    const patchOf = (after: RecordValues) => Object.fromEntries([...counterKeys].filter((k) => Object.hasOwn(after, k)).map((k) => [k, after[k]]));
    const ops = planned.map(({ waiting, step }, i) => ({
      n: i + 1,
      actor: waiting.input.actorId,
      patch: patchOf(step.after),
      changes: step.changes,
      key: waiting.input.idempotency?.key ?? null,
      hash: waiting.input.idempotency?.requestHash ?? null,
      status: waiting.input.idempotency?.status ?? 200,
    }));
    type Row = RecordRow & { n: number; changes: FieldChanges; lockMs: number };
    let rows: Row[];
    try {
      ({ rows } = await this.run<Row>(
        {
          name: "tandem_ops_burst",
          text: OPS_BURST_SQL,
          values: [recordId, base.version, JSON.stringify(fields), planned[0]!.waiting.input.roles, JSON.stringify(ops), JSON.stringify(ops.at(-1)!.patch)],
        },
        recordId,
      ));
    } catch (error) {
      // A limit or a twin request's idempotency key: each operation learns its own answer alone.
      if (getPgErrorCode(error) === LIMIT_REFUSED || error instanceof IdempotencyConflict) return null;
      throw error;
    }
    if (rows.length !== planned.length) return null;
    for (const row of rows) this.observe.write({ recordId, lockMs: row.lockMs });
    return rows.map((row) => ({ outcome: "saved", record: toRecordDto(row), changes: row.changes }));
  }

  private async writeOne(input: WriteInput): Promise<WriteOutcome> {
    for (let attempt = 1; ; attempt++) {
      let rows: WriteRow[];
      try {
        ({ rows } = await this.run<WriteRow>({ name: "tandem_write_record", text: WRITE_SQL, values: writeParams(input) }, input.recordId));
      } catch (error) {
        if (getPgErrorCode(error) === LIMIT_REFUSED) return { outcome: "limit", refusal: await this.sumRefusal(input, error) };
        throw error;
      }
      this.observe.write({ recordId: input.recordId, lockMs: rows[0]?.lockMs ?? null });
      const outcome = explainWrite(input, rows[0]);
      if (outcome !== "race") return outcome;
      if (attempt >= RACE_ATTEMPTS) throw new Error(`write of record ${input.recordId} lost ${RACE_ATTEMPTS} races in a row`);
    }
  }

  async create(input: CreateInput): Promise<CreateOutcome> {
    const { idempotency } = input;
    type CreateRow = RecordRow & { outcome: "saved" | "refused"; changes: FieldChanges; role: Role | null; isArchived: boolean; isSuperseded: boolean };
    let rows: CreateRow[];
    try {
      ({ rows } = await this.run<CreateRow>({
        name: "tandem_create_record",
        text: CREATE_SQL,
        values: [
          input.collectionId,
          input.actorId,
          input.roles,
          JSON.stringify(input.values),
          idempotency?.key ?? null,
          idempotency?.requestHash ?? null,
          idempotency?.status ?? 201,
          input.checkpoint ? JSON.stringify(input.checkpoint) : null,
        ],
      }));
    } catch (error) {
      if (getPgErrorCode(error) !== LIMIT_REFUSED) throw error;
      const field = limitField(error);
      return { outcome: "limit", refusal: await this.limitState(input.collectionId, field, numberOf(input.values[field])) };
    }
    const row = rows[0];
    if (row?.outcome === "saved") return { outcome: "saved", record: toRecordDto(row), changes: row.changes };
    if (!row?.role) return { outcome: "not_found" };
    if (!input.roles.includes(row.role)) return { outcome: "forbidden", role: row.role };
    if (row.isArchived) return { outcome: "archived" };
    if (row.isSuperseded) return { outcome: "superseded" };
    throw new Error(`create in collection ${input.collectionId} wrote nothing and the statement does not say why`);
  }

  async createMany(input: CreateManyInput): Promise<CreateManyOutcome> {
    if (input.rows.length === 0) return { outcome: "saved", records: [] };
    type Row = RecordRow & { outcome: "saved" | "refused"; role: Role | null; isArchived: boolean; hasLimits: boolean; isSuperseded: boolean };
    const { rows } = await this.run<Row>({
      text: CREATE_MANY_SQL,
      values: [input.collectionId, input.actorId, input.roles, JSON.stringify(input.rows), input.checkpoint ? JSON.stringify(input.checkpoint) : null],
    });
    const saved = rows.filter((row) => row.outcome === "saved");
    if (saved.length > 0) return { outcome: "saved", records: saved.map(toRecordDto) };
    const refused = rows[0];
    if (!refused?.role) return { outcome: "not_found" };
    if (!input.roles.includes(refused.role)) return { outcome: "forbidden", role: refused.role };
    if (refused.isArchived) return { outcome: "archived" };
    if (refused.isSuperseded) return { outcome: "superseded" };
    if (refused.hasLimits) return { outcome: "limited" };
    throw new Error(`import batch into collection ${input.collectionId} wrote nothing and the statement does not say why`);
  }

  async transfer(input: TransferInput): Promise<TransferOutcome> {
    // A record deleted (or moved) between this statement's snapshot and its lock is skipped by
    // the lock but still read as it was by the refusal branch: nothing explains the refusal, so
    // the statement runs again on a fresh snapshot, as a write that lost a race does.
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.transferOnce(input);
      if (outcome !== "race") return outcome;
      if (attempt >= RACE_ATTEMPTS) throw new Error(`transfer between ${input.fromId} and ${input.toId} lost ${RACE_ATTEMPTS} races in a row`);
    }
  }

  private async transferOnce(input: TransferInput): Promise<TransferOutcome | "race"> {
    const { idempotency } = input;
    type Row = WriteRow & { boundViolations: (BoundViolation & { recordId: string })[] | null };
    const { rows } = await this.run<Row>({
      name: "tandem_transfer",
      text: TRANSFER_SQL,
      values: [
        input.fromId,
        input.toId,
        input.collectionId,
        input.field,
        input.amount,
        input.actorId,
        input.roles,
        idempotency?.key ?? null,
        idempotency?.requestHash ?? null,
        idempotency?.status ?? 200,
      ],
    });
    const saved = rows.filter((row) => row.outcome === "saved");
    if (saved.length === 2) {
      const byId = new Map(saved.map((row) => [row.id, toRecordDto(row)]));
      return { outcome: "saved", from: byId.get(input.fromId)!, to: byId.get(input.toId)! };
    }
    const live = rows.filter((row) => row.outcome === "refused" && !row.deletedAt);
    if (live.length < 2 || !live[0]!.role) return { outcome: "not_found" };
    if (!input.roles.includes(live[0]!.role)) return { outcome: "forbidden", role: live[0]!.role };
    if (live[0]!.isArchived) return { outcome: "archived" };
    const violation = live[0]!.boundViolations?.[0];
    if (violation) return { outcome: "limit", refusal: { ...boundRefusal(violation), recordId: violation.recordId } };
    return "race";
  }

  /**
   * A writing statement: serialization failures and deadlocks are retried with back-off (retry.ts);
   * a unique violation of the idempotency key means a twin request committed first.
   */
  private async run<R extends QueryResultRow>(query: QueryConfig, recordId?: string): Promise<QueryResult<R>> {
    try {
      return await withTransientRetry(() => this.db.pool.query<R>(query), { onRetry: (code) => this.observe.retry(code, recordId) });
    } catch (error) {
      const code = getPgErrorCode(error);
      if (code && TRANSIENT_CODES.has(code)) this.observe.retriesExhausted(code);
      if (code === UNIQUE_VIOLATION && getPgConstraint(error) === "idempotency_keys_pkey") throw new IdempotencyConflict();
      throw error;
    }
  }

  /** A write a collection limit refused: the limit's state now, and how much the write asked for. */
  private async sumRefusal(input: WriteInput, error: unknown): Promise<LimitRefusal> {
    const field = limitField(error);
    const access = await this.access(input.recordId, input.actorId);
    const record = access?.record;
    const before = record && !record.deletedAt ? numberOf(record.values[field]) : 0;
    let after = before;
    if (input.lifecycle === "delete") after = 0;
    else if (input.lifecycle === "undelete") after = numberOf(record?.values[field]);
    else if (Object.hasOwn(input.set, field)) after = numberOf(input.set[field]);
    else if (Object.hasOwn(input.add, field)) after = before + input.add[field]!;
    return this.limitState(record?.collectionId ?? "", field, after - before);
  }

  private async limitState(collectionId: string, field: string, requested: number): Promise<LimitRefusal> {
    const { rows } = await this.db.pool.query<{ used: string | null; max: string }>(LIMIT_STATE_SQL, [collectionId, field]);
    return { kind: "sum", field, max: Number(rows[0]?.max ?? 0), used: Number(rows[0]?.used ?? 0), requested };
  }
}

function writeParams(input: WriteInput): unknown[] {
  const { idempotency } = input;
  return [
    input.recordId,
    input.expectedVersion,
    input.actorId,
    input.roles,
    JSON.stringify(input.set),
    JSON.stringify(input.add),
    input.lifecycle ?? null,
    input.kind,
    input.meta == null ? null : JSON.stringify(input.meta),
    idempotency?.key ?? null,
    idempotency?.requestHash ?? null,
    idempotency?.status ?? 200,
    input.isDeletedOk ?? false,
  ];
}

/**
 * Why a write did not happen, in the contract's order: absent or not a member (404), not allowed
 * (403), archived (409), deleted (410), at another version (412). "race": the row changed between the statement's
 * snapshot and its lock, so the snapshot cannot say; the caller runs the statement again.
 */
function explainWrite(input: WriteInput, row: WriteRow | undefined): WriteOutcome | "race" {
  if (!row) return { outcome: "not_found" };
  if (row.outcome === "saved") return { outcome: "saved", record: toRecordDto(row), changes: row.changes ?? {} };
  if (input.roles && !row.role) return { outcome: "not_found" };
  if (input.roles && row.role && !input.roles.includes(row.role)) return { outcome: "forbidden", role: row.role };
  if (input.roles && row.isArchived) return { outcome: "archived" };
  const record = toRecordDto(row);
  if (row.isLocked) {
    const violation = row.boundViolations?.[0];
    return violation ? { outcome: "limit", refusal: boundRefusal(violation) } : { outcome: "unchanged", record };
  }
  if (input.lifecycle === "undelete" && !record.deletedAt) return { outcome: "not_deleted", current: record };
  if (input.lifecycle !== "undelete" && !input.isDeletedOk && record.deletedAt) return { outcome: "gone", current: record };
  if (input.expectedVersion !== null && record.version !== input.expectedVersion) {
    return { outcome: "stale", current: record, base: { version: input.expectedVersion, values: row.baseSnapshot ?? {} } };
  }
  return "race";
}

function boundRefusal(v: BoundViolation): LimitRefusal {
  const bound = (value: string | null) => (value === null ? undefined : Number(value));
  return { kind: "bound", field: v.field, min: bound(v.min), max: bound(v.max), current: Number(v.current), requested: Number(v.requested) };
}

function limitField(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /limit on (\S+) would be crossed/.exec(message)?.[1]?.split(",")[0] ?? "";
}

const numberOf = (value: unknown) => (typeof value === "number" ? value : 0);

/** What a write tells of the record's latest version, for planning the next burst on. */
function baseOf(outcome: WriteOutcome): HotRecord["base"] {
  if (outcome.outcome === "saved" || outcome.outcome === "unchanged") return { values: outcome.record.values, version: outcome.record.version };
  return null;
}
