import { conflictingKeys } from "@/lib/merge";
import type { RecordDto, RecordValues } from "@/lib/types";
import { AppError, StaleError } from "@/server/errors";
import { findRecordForUser } from "@/server/persistence/records-repo";
import { findRevision } from "@/server/persistence/revisions-repo";
import type { Actor, UseCaseDeps } from "./deps";

/**
 * The refusal of a stale write: the record as it is now, the version the client started from,
 * and the fields both sides changed, so the client can offer a merge instead of a dead end.
 */
export async function buildStaleError(
  deps: UseCaseDeps,
  actor: Actor,
  recordId: string,
  baseVersion: number,
  patch: RecordValues,
  known?: RecordDto,
): Promise<AppError> {
  const current = known ?? (await findRecordForUser(deps.db, recordId, actor.id))?.record;
  if (!current) return new AppError("not_found", "Record not found");
  if (current.deletedAt) return new AppError("gone", "This record was deleted", { current });
  const base = await findRevision(deps.db, recordId, baseVersion);
  return refuse(deps, current, baseVersion, base?.snapshot ?? {}, patch);
}

/** The 412 from what is known: the current record, the client's base version and its patch. */
export function refuse(deps: UseCaseDeps, current: RecordDto, baseVersion: number, baseValues: RecordValues, patch: RecordValues): StaleError {
  const mine = { ...baseValues, ...patch };
  const conflicts = conflictingKeys(baseValues, mine, current.values, Object.keys(patch));
  return new StaleError(current, { version: baseVersion, values: baseValues }, conflicts);
}
