import { parseIfMatch } from "@/lib/etag";
import type { Role } from "@/lib/types";
import { AppError, badRequest, forbidden, notFound } from "@/server/errors";
import { findRecordForUser, type RecordWithAccess } from "@/server/persistence/records-repo";
import type { Actor, UseCaseDeps } from "./deps";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string) => UUID.test(value);

export const canWrite = (role: Role) => role === "owner" || role === "editor";

/** Loads a record the actor may see; another workspace's record is indistinguishable from none. */
export async function loadRecord(deps: UseCaseDeps, actor: Actor, recordId: string): Promise<RecordWithAccess> {
  if (!isUuid(recordId)) throw notFound();
  const found = await findRecordForUser(deps.db, recordId, actor.id);
  if (!found) throw notFound();
  return found;
}

/** Loads a record the actor may change, and the version their If-Match names. */
export async function loadForWrite(
  deps: UseCaseDeps,
  actor: Actor,
  recordId: string,
  ifMatch: string | null,
): Promise<RecordWithAccess & { baseVersion: number }> {
  const found = await loadRecord(deps, actor, recordId);
  if (!canWrite(found.role)) throw forbidden("Viewers can read this record but not change it");
  if (found.record.deletedAt) throw new AppError("gone", "This record was deleted", { current: found.record });
  const parsed = parseIfMatch(ifMatch, recordId);
  if (!parsed.ok) {
    if (parsed.reason === "missing") {
      throw new AppError("precondition_required", "Send the record's ETag in an If-Match header to save it");
    }
    throw badRequest(parsed.message);
  }
  if (parsed.version > found.record.version || parsed.version < 1) {
    throw badRequest(`If-Match names version ${parsed.version}, which this record never had`);
  }
  return { ...found, baseVersion: parsed.version };
}
