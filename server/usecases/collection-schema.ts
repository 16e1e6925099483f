// The collection editor's use cases: create a collection, change its schema with a version token
// (a stale edit is merged per field by lib/schema.ts, or refused with 412 and the conflicting
// parts), preview and apply type conversions through the record writer, and the schema's history.
import { z } from "zod";
import { formatEtag, parseIfMatch } from "@/lib/etag";
import { FieldDefsSchema } from "@/lib/fields";
import { can, rolesFor } from "@/lib/permissions";
import {
  conversionRefusal,
  convertValue,
  fitsField,
  jsonEqual,
  limitBelowUse,
  limitProblems,
  mergeSchema,
  schemaChanges,
  schemaEditProblems,
  typeChanges,
  type SchemaConflict,
  type SchemaMerge,
  type SchemaState,
} from "@/lib/schema";
import type { CollectionLimit, FieldDef, FieldValue } from "@/lib/types";
import { AppError, badRequest, forbidden, invalid, LimitError, notFound, preconditionRequired } from "@/server/errors";
import {
  findSchema,
  insertCollection,
  recordPageById,
  schemaVersion,
  schemaVersions,
  workspaceRole,
  writeSchema,
  type SchemaRow,
} from "@/server/persistence/schema-repo";
import { isUuid } from "./access";
import type { Actor, UseCaseDeps } from "./deps";

const NAME = z.string().trim().min(1, "A name is required").max(200, "At most 200 characters");
const LimitSchema = z.strictObject({ kind: z.literal("sum"), field: z.string(), max: z.number().finite().nonnegative() });

export const CreateCollectionInput = z.strictObject({
  name: NAME,
  fields: z.array(z.unknown()).max(500),
  limits: z.array(LimitSchema).max(20).optional(),
});

export const PatchCollectionInput = z.strictObject({
  name: NAME.optional(),
  archived: z.boolean().optional(),
  /** the whole list of fields as the editor wants it; a field left out is removed (hidden, kept) */
  fields: z.array(z.unknown()).max(500).optional(),
  /** the whole list of limits as the editor wants it (F10–F12); [] removes them all */
  limits: z.array(LimitSchema).max(20).optional(),
});
export type PatchCollectionInput = z.infer<typeof PatchCollectionInput>;

/** The schema as the API returns it: each limit with what the live records use of it now. */
export type SchemaDto = Omit<SchemaRow, "role" | "used" | "limits"> & { limits: (CollectionLimit & { used: number })[]; etag: string };

const toDto = (row: SchemaRow): SchemaDto => {
  const { role: _role, used, limits, ...rest } = row;
  return { ...rest, limits: limits.map((l) => ({ ...l, used: used[l.field] ?? 0 })), etag: formatEtag(row.id, row.version) };
};

const stateOf = (row: SchemaState): SchemaState => ({ name: row.name, archived: row.archived, fields: row.fields, removed: row.removed, limits: row.limits });

/** 404 for strangers (and malformed ids), 403 for members who may not manage collections. */
async function loadForOwner(
  deps: UseCaseDeps,
  actor: Actor,
  collectionId: string,
  action: "collection.manage" | "record.read" = "collection.manage",
): Promise<SchemaRow> {
  if (!isUuid(collectionId)) throw notFound("Collection");
  const row = await findSchema(deps.db, collectionId, actor.id);
  if (!row || !row.role) throw notFound("Collection");
  if (!can(row.role, action)) throw forbidden("Only owners can change a collection's fields");
  return row;
}

function parseFields(input: unknown[]): FieldDef[] {
  const parsed = FieldDefsSchema.safeParse(input);
  if (parsed.success) return parsed.data as FieldDef[];
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const [index, ...rest] = issue.path;
    const def = typeof index === "number" ? input[index] : undefined;
    const key = def && typeof def === "object" && typeof (def as { key?: unknown }).key === "string" ? (def as { key: string }).key : `fields.${String(index)}`;
    const name = rest.length > 0 ? `${key}.${rest.join(".")}` : key;
    fields[name] ??= issue.message;
  }
  throw invalid(fields, "Some fields are not valid");
}

function checkLimits(fields: FieldDef[], limits: CollectionLimit[]): void {
  const problems = limitProblems(fields, limits);
  if (Object.keys(problems).length > 0) throw invalid(problems, "Some limits are not valid");
}

export async function createCollection(deps: UseCaseDeps, actor: Actor, workspaceId: string, body: z.infer<typeof CreateCollectionInput>): Promise<SchemaDto> {
  if (!isUuid(workspaceId)) throw notFound("Workspace");
  const role = await workspaceRole(deps.db, workspaceId, actor.id);
  if (!role) throw notFound("Workspace");
  if (!can(role, "collection.manage")) throw forbidden("Only owners can create collections");
  const fields = parseFields(body.fields);
  const limits = body.limits ?? [];
  checkLimits(fields, limits);
  const id = await insertCollection(deps.db, { workspaceId, userId: actor.id, roles: rolesFor("collection.manage"), name: body.name, fields, limits });
  if (!id) throw forbidden("Only owners can create collections");
  return toDto((await findSchema(deps.db, id, actor.id))!);
}

export async function getSchema(deps: UseCaseDeps, actor: Actor, collectionId: string): Promise<SchemaDto> {
  return toDto(await loadForOwner(deps, actor, collectionId, "record.read"));
}

/** The schema the editor wants: its base with the parts the body names replaced. */
function desiredState(base: SchemaState, body: PatchCollectionInput, fields: FieldDef[] | undefined): SchemaState {
  const named = { name: body.name ?? base.name, archived: body.archived ?? base.archived, limits: body.limits ?? base.limits };
  if (!fields) return { ...base, ...named };
  const listed = new Set(fields.map((def) => def.key));
  const removed = [...base.removed.filter((def) => !listed.has(def.key)), ...base.fields.filter((def) => !listed.has(def.key))];
  return { ...named, fields, removed };
}

/** Per retyped field, what converting every record (live and in the trash) would do. */
export type ConversionPreview = Record<
  string,
  {
    from: string;
    to: string;
    /** values that change, and those that cannot be converted, trash included */
    changes: number;
    samples: { recordId: string; from: FieldValue; to: FieldValue; isDeleted: boolean }[];
    failures: { recordId: string; value: FieldValue; reason: string; isDeleted: boolean }[];
    failureCount: number;
    /** of those, how many are records in the trash */
    inTrash: { changes: number; failureCount: number };
  }
>;

const PAGE = 500;
const SAMPLES = 20;

/** Every record's value of each retyped field (live and in the trash), converted (F8); nothing is written. */
async function previewConversions(deps: UseCaseDeps, collectionId: string, retyped: ReturnType<typeof typeChanges>): Promise<ConversionPreview> {
  const preview: ConversionPreview = {};
  for (const { key, from, to } of retyped) {
    preview[key] = { from: from.type, to: to.type, changes: 0, samples: [], failures: [], failureCount: 0, inTrash: { changes: 0, failureCount: 0 } };
  }
  if (retyped.length === 0) return preview;
  let after: string | null = null;
  for (;;) {
    const page = await recordPageById(deps.db, collectionId, after, PAGE);
    for (const record of page) {
      for (const { key, from, to } of retyped) {
        const value = (record.values[key] ?? null) as FieldValue;
        const result = convertValue(from, to, value);
        const entry = preview[key]!;
        const { isDeleted } = record;
        if (!result.ok) {
          entry.failureCount++;
          if (isDeleted) entry.inTrash.failureCount++;
          if (entry.failures.length < SAMPLES) entry.failures.push({ recordId: record.id, value, reason: result.reason, isDeleted });
        } else if (JSON.stringify(result.value) !== JSON.stringify(value)) {
          entry.changes++;
          if (isDeleted) entry.inTrash.changes++;
          if (entry.samples.length < SAMPLES) entry.samples.push({ recordId: record.id, from: value, to: result.value, isDeleted });
        }
      }
    }
    if (page.length < PAGE) return preview;
    after = page[page.length - 1]!.id;
  }
}

/**
 * Writes each converted value through the record writer: one revision per record that changes,
 * records in the trash included (they stay there, with who deleted them and when).
 */
async function applyConversions(
  deps: UseCaseDeps,
  actor: Actor,
  collectionId: string,
  retyped: ReturnType<typeof typeChanges>,
): Promise<{ converted: number; skipped: string[] }> {
  let after: string | null = null;
  let converted = 0;
  const skipped: string[] = [];
  for (;;) {
    const page = await recordPageById(deps.db, collectionId, after, PAGE);
    for (const record of page) {
      let { version, values } = record;
      for (let attempt = 0; attempt < 4; attempt++) {
        const set: Record<string, FieldValue> = {};
        let failed = false;
        for (const { key, from, to } of retyped) {
          const value = (values[key] ?? null) as FieldValue;
          // Already a value of the new type (saved after the schema changed, or the same either way).
          if (fitsField(to, value)) continue;
          const result = convertValue(from, to, value);
          if (!result.ok) failed = true;
          else if (JSON.stringify(result.value) !== JSON.stringify(value)) set[key] = result.value;
        }
        if (failed) {
          skipped.push(record.id);
          break;
        }
        if (Object.keys(set).length === 0) break;
        const outcome = await deps.store.write({
          recordId: record.id,
          actorId: actor.id,
          roles: rolesFor("collection.manage"),
          expectedVersion: version,
          set,
          add: {},
          isDeletedOk: true,
          kind: "save",
          meta: null,
        });
        if (outcome.outcome === "saved") {
          converted++;
          if (!outcome.record.deletedAt) deps.committed({ type: "saved", record: outcome.record, changedFields: Object.keys(outcome.changes), by: actor });
          break;
        }
        if (outcome.outcome !== "stale") break;
        ({ version, values } = outcome.current);
      }
    }
    if (page.length < PAGE) return { converted, skipped };
    after = page[page.length - 1]!.id;
  }
}

export type PatchResult =
  | { kind: "saved"; schema: SchemaDto; merged: boolean; conversions?: { converted: number; skipped: string[] } }
  | { kind: "preview"; schema: SchemaState; conversions: ConversionPreview };

export class SchemaStaleError extends AppError {
  constructor(current: SchemaDto, base: SchemaState & { version: number }, merge: SchemaMerge) {
    super("stale", `The fields were changed (v${current.version}) since your copy (v${base.version})`, {
      current,
      base,
      conflicts: merge.conflicts.map((c: SchemaConflict) => c.part),
      merge,
    });
  }
}

/**
 * PATCH /api/collections/:id. Refusals in order: 404, 403, 428/400 (the token), 422 (invalid
 * fields), 412 (stale) unless `Prefer: merge` and every part merges by itself, 409 (archived: only
 * unarchiving), 422 (a type that cannot convert, values that do not).
 */
export async function patchSchema(
  deps: UseCaseDeps,
  actor: Actor,
  input: { collectionId: string; ifMatch: string | null; body: PatchCollectionInput; preferMerge: boolean; preview: boolean },
): Promise<PatchResult> {
  const current = await loadForOwner(deps, actor, input.collectionId);
  const token = parseIfMatch(input.ifMatch, current.id);
  if (!token.ok) throw token.reason === "missing" ? preconditionRequired("change its fields") : badRequest(token.message);
  if (token.version < 1 || token.version > current.version) throw badRequest(`If-Match names version ${token.version}, which this collection never had`);
  const fields = input.body.fields ? parseFields(input.body.fields) : undefined;
  const baseRow = token.version === current.version ? current : await schemaVersion(deps.db, current.id, token.version);
  if (!baseRow) throw badRequest(`Version ${token.version} of this collection is not kept`);
  const base = stateOf(baseRow);
  const mine = desiredState(base, input.body, fields);
  const theirs = stateOf(current);

  let next = mine;
  let merged = false;
  if (token.version !== current.version) {
    const merge = mergeSchema(base, mine, theirs);
    if (!input.preferMerge || merge.conflicts.length > 0) throw new SchemaStaleError(toDto(current), { ...base, version: token.version }, merge);
    next = merge.merged;
    merged = true;
  }

  // P4: an archived collection's schema stays as it is until it is unarchived (the same edit may do both).
  if (theirs.archived && next.archived && !jsonEqual({ ...theirs, archived: false }, { ...next, archived: false })) {
    throw new AppError("archived", "This collection is archived: unarchive it to change its name or fields");
  }
  const problems = { ...schemaEditProblems(theirs, next), ...limitProblems(next.fields, next.limits) };
  for (const limit of next.limits) {
    // A field that stays limited must stay a number or counter field on the form: said on the field itself.
    if (
      current.limits.some((l) => l.field === limit.field) &&
      !next.fields.some((def) => def.key === limit.field && (def.type === "number" || def.type === "counter"))
    ) {
      delete problems[`limits.${limit.field}`];
      problems[limit.field] = "A collection limit sums this field: it must stay a number or counter field (remove the limit first)";
    }
  }
  const retyped = typeChanges(theirs.fields, next.fields);
  for (const { key, from, to } of retyped) {
    const refusal = conversionRefusal(from.type, to.type);
    if (refusal) problems[key] = refusal;
  }
  if (Object.keys(problems).length > 0) throw invalid(problems, "This change to the fields cannot be made");

  const conversions = await previewConversions(deps, current.id, retyped);
  if (input.preview) return { kind: "preview", schema: next, conversions };
  const failures = Object.entries(conversions).filter(([, c]) => c.failureCount > 0);
  if (failures.length > 0) {
    throw new AppError("invalid", "Some values cannot be converted: nothing was changed", {
      fields: Object.fromEntries(
        failures.map(([key, c]) => [
          key,
          `${c.failureCount} record(s)${c.inTrash.failureCount > 0 ? ` (${c.inTrash.failureCount} in the trash)` : ""} hold values a ${c.to} field cannot take, e.g. ${c.failures[0]!.reason}`,
        ]),
      ),
      conversions,
    });
  }

  const outcome = await writeSchema(deps.db, {
    collectionId: current.id,
    userId: actor.id,
    roles: rolesFor("collection.manage"),
    expectedVersion: current.version,
    state: next,
    changes: schemaChanges(theirs, next),
  });
  if (outcome.outcome === "forbidden") throw forbidden("Only owners can change a collection's fields");
  if (outcome.outcome === "stale") {
    // Someone saved between our read and our write: the same answer as any stale token.
    const latest = (await findSchema(deps.db, current.id, actor.id))!;
    const merge = mergeSchema(base, mine, stateOf(latest));
    throw new SchemaStaleError(toDto(latest), { ...base, version: token.version }, merge);
  }
  if (outcome.outcome === "limit") {
    const def = next.fields.find((f) => f.key === outcome.field) ?? { label: outcome.field };
    throw new LimitError({
      message: limitBelowUse(def, outcome.used, outcome.max) ?? "This limit cannot be set",
      field: outcome.field,
      limit: { kind: "sum", field: outcome.field, max: outcome.max, used: outcome.used },
      requested: outcome.max,
    });
  }
  deps.store.forgetShapes?.(current.id);
  const applied = retyped.length > 0 ? await applyConversions(deps, actor, current.id, retyped) : undefined;
  const schema = toDto((await findSchema(deps.db, current.id, actor.id))!);
  return { kind: "saved", schema, merged, ...(applied ? { conversions: applied } : {}) };
}

export const VersionsQuery = z.object({
  before: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export async function listSchemaVersions(deps: UseCaseDeps, actor: Actor, collectionId: string, query: z.infer<typeof VersionsQuery>) {
  const row = await loadForOwner(deps, actor, collectionId, "record.read");
  const versions = await schemaVersions(deps.db, row.id, query.limit, query.before);
  return { versions, nextBefore: versions.length === query.limit ? versions[versions.length - 1]!.version : null };
}

export async function getSchemaVersion(deps: UseCaseDeps, actor: Actor, collectionId: string, version: number) {
  const row = await loadForOwner(deps, actor, collectionId, "record.read");
  const found = await schemaVersion(deps.db, row.id, version);
  if (!found) throw notFound("Version");
  return found;
}
