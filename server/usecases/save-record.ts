// PATCH /api/records/:id: save changed fields and counter operations through the one writer; when
// the client's version is stale, refuse with everything needed to merge (412), or, when asked
// (Prefer: merge, or the dialog's choices), merge on the server (lib/SPEC.md H1–H8).
import { valuesEqual } from "@/lib/fields";
import { resolveMergeChoices } from "@/lib/merge-choices";
import { rolesFor } from "@/lib/permissions";
import type { RecordValues } from "@/lib/types";
import { badRequest, invalid, isAppError, notFound } from "@/server/errors";
import type { SaveOutcome } from "@/server/metrics/observer";
import type { RecordShape, WriteInput, WriteOutcome } from "@/server/persistence/record-store";
import { assertAllowed, assertVersionExists, isUuid, readToken, refusal } from "./access";
import type { Actor, IdempotencyRequest, UseCaseDeps, WriteResult } from "./deps";
import { runIdempotent } from "./idempotency";
import { normalizeRichTextValues, richTextChanges } from "./rich-text-values";
import { hasFieldOfType, planSave, type SavePlan, type SaveRecordInput } from "./save-plan";
import { mergeInput, mergeStale, staleError, touchedKeys, type StaleSide } from "./stale";
import { checkUserFields } from "./user-fields";

export { SaveRecordInput } from "./save-plan";

export type SaveRecordCommand = {
  recordId: string;
  ifMatch: string | null;
  /** Prefer: merge (RFC 7240): merge a stale save on the server instead of refusing it */
  preferMerge?: boolean;
  body: SaveRecordInput;
  idempotency?: IdempotencyRequest;
};

/** Auto-merges retried when someone saves again between the merge and its write. */
const MERGE_ATTEMPTS = 3;

/** What one save did, filled in as it goes, for the observer (server/metrics). */
type SaveTrace = { shape: RecordShape | null; numberChanges: { key: string; isUnit: boolean }[] };

export async function saveRecord(deps: UseCaseDeps, actor: Actor, command: SaveRecordCommand): Promise<WriteResult> {
  if (!deps.observe) return saveAndTell(deps, actor, command, null);
  const started = performance.now();
  const trace: SaveTrace = { shape: null, numberChanges: [] };
  try {
    const result = await saveAndTell(deps, actor, command, trace);
    observeSave(
      deps,
      command,
      trace,
      started,
      result.merge ? (command.body.merge ? "merged_dialog" : "merged_server") : result.changedFields.length > 0 ? "saved" : "unchanged",
      result,
    );
    return result;
  } catch (error) {
    observeSave(deps, command, trace, started, outcomeOf(error), undefined, error);
    throw error;
  }
}

const ERROR_OUTCOMES: Partial<Record<string, SaveOutcome>> = {
  stale: "stale",
  limit: "limit",
  forbidden: "forbidden",
  not_found: "not_found",
  gone: "not_found",
  invalid: "invalid",
  bad_request: "invalid",
  precondition_required: "invalid",
};

function outcomeOf(error: unknown): SaveOutcome {
  return (isAppError(error) && ERROR_OUTCOMES[error.code]) || "error";
}

function observeSave(
  deps: UseCaseDeps,
  command: SaveRecordCommand,
  trace: SaveTrace,
  started: number,
  outcome: SaveOutcome,
  result?: WriteResult,
  error?: unknown,
) {
  const { shape } = trace;
  // Labels and rollup keys are the schema's field keys only: never a key the request made up.
  const known = new Set(shape?.fields.map((f) => f.key) ?? []);
  const fields = [...new Set([...Object.keys(command.body.values ?? {}), ...Object.keys(command.body.ops ?? {})])].filter((key) => known.has(key));
  const limitField =
    isAppError(error) && error.code === "limit" && typeof error.details.field === "string" && known.has(error.details.field) ? error.details.field : undefined;
  try {
    deps.observe!.save({
      recordId: command.recordId,
      collectionId: shape?.collectionId ?? null,
      outcome,
      ms: performance.now() - started,
      fields: outcome === "invalid" || outcome === "error" ? [] : fields,
      conflicts:
        outcome === "stale" && isAppError(error) && Array.isArray(error.details.conflicts)
          ? (error.details.conflicts as string[]).filter((key) => known.has(key))
          : [],
      autoMerged: (result?.merge?.autoMerged ?? []).filter((m) => known.has(m.key)),
      limitField,
      numberChanges: trace.numberChanges.filter((c) => known.has(c.key)),
    });
  } catch (observeError) {
    console.error("observing a save failed", observeError);
  }
}

async function saveAndTell(deps: UseCaseDeps, actor: Actor, command: SaveRecordCommand, trace: SaveTrace | null): Promise<WriteResult> {
  const result = await runIdempotent(deps, actor, command.idempotency, () => save(deps, actor, command, trace), { isLookedUpFirst: false });
  if (!result.replayed && result.changedFields.length > 0) {
    deps.committed({ type: "saved", record: result.record, changedFields: result.changedFields, by: actor, richText: result.richText });
  }
  return result;
}

async function save(deps: UseCaseDeps, actor: Actor, command: SaveRecordCommand, trace: SaveTrace | null): Promise<WriteResult> {
  const { recordId, body } = command;
  const shape = isUuid(recordId) ? await deps.store.shape(recordId) : null;
  if (!shape) throw notFound();
  if (trace) trace.shape = shape;
  const planned = planSave(shape.fields, body);
  // Whether the request is operations only is what it sent, valid or not.
  const isOpsOnly = body.values === undefined && Object.keys(body.ops ?? {}).length > 0;
  // H7: operations commute, so an ops-only save needs no token; one that is sent is honoured.
  const token = readTokenLater(command.ifMatch, recordId, isOpsOnly && !body.merge);
  const isCostly = planned.ok && (hasFieldOfType(shape.fields, planned.plan.set, "richtext") || hasFieldOfType(shape.fields, planned.plan.set, "user"));
  // H1: a refusal decided before the write, and any costly work, wait for the access check, so an
  // outsider learns nothing from the order of errors and a viewer cannot make the server work.
  if (!planned.ok || "error" in token || isCostly) {
    const allowed = assertAllowed(await deps.store.access(recordId, actor.id), "record.write");
    if (!("error" in token) && token.version !== null) assertVersionExists(token.version, allowed.record);
  }
  if ("error" in token) throw token.error;
  if (!planned.ok) throw invalid(planned.errors);
  if (isCostly) await checkUserFields(deps, shape.workspaceId, shape.fields, planned.plan.set);
  if (body.merge && token.version !== null && body.merge.theirsVersion <= token.version) {
    throw badRequest("merge.theirsVersion must be a version after the one If-Match names: the version your edits were merged against");
  }
  const plan: SavePlan = { ...planned.plan, set: await normalizeRichTextValues(shape.fields, planned.plan.set) };
  const outcome = await writePlan(deps, actor, command, { expectedVersion: token.version, set: plan.set, add: plan.add, kind: "save", meta: null });
  if (outcome.outcome !== "stale") {
    if (trace && outcome.outcome === "saved") trace.numberChanges = numberChanges(shape, plan, (key) => outcome.changes[key]?.from);
    return answer(shape, outcome);
  }
  if (outcome.base.version > outcome.current.version) throw badRequest(`If-Match names version ${outcome.base.version}, which this record never had`);
  const stale = await withFieldBases(deps, outcome, body.bases ?? {});
  if (trace) trace.numberChanges = numberChanges(shape, plan, (key) => stale.base.values[key]);
  // H5: without Prefer: merge the answer is a 412 that carries the server's merge.
  if (!command.preferMerge && !body.merge) throw staleError(shape.fields, stale, await mergeInput(deps, shape.fields, stale, plan, body.bases));
  return mergeAndSave(deps, actor, command, shape, plan, stale, 1);
}

/** H6/H8: merge mine (base + patch) with theirs (current) and save the result with theirs' version. */
async function mergeAndSave(
  deps: UseCaseDeps,
  actor: Actor,
  command: SaveRecordCommand,
  shape: RecordShape,
  plan: SavePlan,
  stale: StaleSide,
  attempt: number,
): Promise<WriteResult> {
  const choices = command.body.merge;
  const input = await mergeInput(deps, shape.fields, stale, plan, command.body.bases);
  const merged = mergeStale(shape.fields, stale, input);
  // The dialog's choices hold only against the version of theirs it showed; else it must refresh.
  if (choices && choices.theirsVersion !== stale.current.version) throw staleError(shape.fields, stale, input, merged);
  if (!choices && merged.conflicts.length > 0) throw staleError(shape.fields, stale, input, merged);
  const resolved = resolveMergeChoices(shape.fields, merged, touchedKeys(input), choices?.choices ?? {});
  if (!resolved.ok) {
    const unresolved = Object.fromEntries(resolved.unresolved.map((key) => [key, "Choose what to keep for this field"]));
    throw invalid({ ...unresolved, ...resolved.invalid }, "Some merge choices are missing or not valid");
  }
  // M5: a counter's operations that merged by themselves stay operations, applied to whatever the
  // value is when the write happens; one that conflicted was settled to a value, written as one.
  const conflicted = new Set(merged.conflicts.map((c) => c.key));
  const add = Object.fromEntries(Object.entries(plan.add).filter(([key]) => !conflicted.has(key)));
  const patch = changedFrom(stale.current.values, resolved.values);
  for (const key of Object.keys(add)) delete patch[key];
  const meta = { baseVersion: stale.base.version, overrodeVersion: stale.current.version, fields: resolved.notes };
  const outcome = await writePlan(deps, actor, command, { expectedVersion: stale.current.version, set: patch, add, kind: "merge", meta });
  if (outcome.outcome === "stale") {
    const again = { current: outcome.current, base: stale.base };
    if (choices || attempt >= MERGE_ATTEMPTS) throw staleError(shape.fields, again, await mergeInput(deps, shape.fields, again, plan, command.body.bases));
    return mergeAndSave(deps, actor, command, shape, plan, again, attempt + 1);
  }
  return { ...answer(shape, outcome), merge: { ...meta, autoMerged: merged.autoMerged } };
}

/** The plan's changes of number and counter fields, and whether each was ±1 (from the value it started from). */
function numberChanges(shape: RecordShape, plan: SavePlan, before: (key: string) => unknown): { key: string; isUnit: boolean }[] {
  const numeric = new Set(shape.fields.filter((f) => f.type === "number" || f.type === "counter").map((f) => f.key));
  const changes = Object.entries(plan.add)
    .filter(([key]) => numeric.has(key))
    .map(([key, delta]) => ({ key, isUnit: Math.abs(delta) === 1 }));
  for (const [key, value] of Object.entries(plan.set)) {
    if (!numeric.has(key) || Object.hasOwn(plan.add, key)) continue;
    const from = before(key);
    changes.push({ key, isUnit: typeof value === "number" && typeof from === "number" && Math.abs(value - from) === 1 });
  }
  return changes;
}

function writePlan(
  deps: UseCaseDeps,
  actor: Actor,
  command: SaveRecordCommand,
  write: Pick<WriteInput, "expectedVersion" | "set" | "add" | "kind" | "meta">,
): Promise<WriteOutcome> {
  return deps.store.write({
    recordId: command.recordId,
    actorId: actor.id,
    roles: rolesFor("record.write"),
    ...write,
    idempotency: command.idempotency && { userId: actor.id, ...command.idempotency, status: 200 },
  });
}

function answer(shape: RecordShape, outcome: Exclude<WriteOutcome, { outcome: "stale" }>): WriteResult {
  if (outcome.outcome === "saved") {
    const { record, changes } = outcome;
    return { record, replayed: false, changedFields: Object.keys(changes), richText: richTextChanges(shape.fields, changes) };
  }
  if (outcome.outcome === "unchanged") return { record: outcome.record, replayed: false, changedFields: [] };
  throw refusal(outcome, "record.write");
}

/** The values of `next` that differ from `current`: what a merge must write over theirs. */
function changedFrom(current: RecordValues, next: RecordValues): RecordValues {
  return Object.fromEntries(Object.entries(next).filter(([key, value]) => !valuesEqual(current[key] ?? null, value)));
}

/**
 * H10: the base of each field whose edit started from a later version than the token's is that
 * version's value, read from history (the client names versions; the values are the server's).
 */
async function withFieldBases(deps: UseCaseDeps, stale: StaleSide, bases: Record<string, number>): Promise<StaleSide> {
  const later = Object.entries(bases).filter(([, version]) => version !== stale.base.version);
  if (later.length === 0) return stale;
  const values = { ...stale.base.values };
  const snapshots = new Map<number, RecordValues>();
  for (const [key, version] of later) {
    if (version < stale.base.version || version > stale.current.version) {
      throw badRequest(`bases.${key} names version ${version}: it must lie between the If-Match version and the current one`);
    }
    if (!snapshots.has(version)) snapshots.set(version, (await deps.store.revision(stale.current.id, version))?.snapshot ?? {});
    values[key] = snapshots.get(version)![key] ?? null;
  }
  return { ...stale, base: { ...stale.base, values } };
}

/** The token, or the error it gives, kept until the access check has run (H1). */
function readTokenLater(ifMatch: string | null, recordId: string, isOptional: boolean): { version: number | null } | { error: Error } {
  if (isOptional && (ifMatch === null || ifMatch.trim() === "")) return { version: null };
  try {
    return { version: readToken(ifMatch, recordId) };
  } catch (error) {
    return { error: error as Error };
  }
}
