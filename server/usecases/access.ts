// The refusals every record use case shares, in the contract's order (lib/SPEC.md H1): 404 for
// absent or another workspace's, 403 for what the role may not do, 410 for deleted, then
// 428/400 for the version token.
import { parseIfMatch } from "@/lib/etag";
import { can, type Action } from "@/lib/permissions";
import type { RecordDto, Role } from "@/lib/types";
import { AppError, archived, badRequest, forbidden, gone, LimitError, notFound, preconditionRequired } from "@/server/errors";
import type { LimitRefusal, RecordAccess, WriteOutcome } from "@/server/persistence/record-store";
import type { Actor, UseCaseDeps } from "./deps";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string) => UUID.test(value);

export type Allowed = RecordAccess & { role: Role };

const FORBIDDEN_TEXT: Partial<Record<Action, string>> = {
  "record.write": "Viewers can read this record but not change it",
  "record.delete": "Viewers can read this record but not delete it",
  "record.restore": "Viewers can read this record but not restore it",
  "record.undelete": "Viewers cannot bring back a deleted record",
};

/**
 * 404 / 403 / 409 (archived, P4) / 410, in that order. `isDeletedOk`: the action is about deleted
 * records (history, undelete). The archived state read here spares work; the write checks it again.
 */
export function assertAllowed(access: RecordAccess | null, action: Action, isDeletedOk = false): Allowed {
  if (!access || !access.role) throw notFound();
  if (!can(access.role, action)) throw forbidden(FORBIDDEN_TEXT[action]);
  if (!can(access.role, action, { isArchived: access.isArchived })) throw archived();
  if (access.record.deletedAt && !isDeletedOk) throw gone(access.record);
  return access as Allowed;
}

/** The record as the actor may read it; another workspace's record is indistinguishable from none. */
export async function loadRecord(deps: UseCaseDeps, actor: Actor, recordId: string, isDeletedOk = true): Promise<Allowed> {
  if (!isUuid(recordId)) throw notFound();
  return assertAllowed(await deps.store.access(recordId, actor.id), "record.read", isDeletedOk);
}

/** The version an If-Match names: 428 when missing, 400 when malformed or never a version of this record. */
export function readToken(ifMatch: string | null, recordId: string, what = "save it"): number {
  const parsed = parseIfMatch(ifMatch, recordId);
  if (!parsed.ok) throw parsed.reason === "missing" ? preconditionRequired(what) : badRequest(parsed.message);
  if (parsed.version < 1) throw neverHad(parsed.version);
  return parsed.version;
}

export const neverHad = (version: number) => badRequest(`If-Match names version ${version}, which this record never had`);

/** A token naming a version beyond the current one is not stale: it never existed. */
export function assertVersionExists(version: number, record: RecordDto): void {
  if (version > record.version) throw neverHad(version);
}

/** The error for a write the store refused; "stale" is left to the caller, which may merge. */
export function refusal(outcome: Exclude<WriteOutcome, { outcome: "saved" | "unchanged" | "stale" }>, action: Action): AppError {
  switch (outcome.outcome) {
    case "not_found":
      return notFound();
    case "forbidden":
      return forbidden(FORBIDDEN_TEXT[action]);
    case "gone":
      return gone(outcome.current);
    case "not_deleted":
      return new AppError("not_deleted", "This record is not deleted", { current: outcome.current });
    case "archived":
      return archived();
    case "limit":
      return limitError(outcome.refusal);
  }
}

export function limitError(refusal: LimitRefusal): LimitError {
  if (refusal.kind === "sum") {
    const left = Math.max(0, refusal.max - refusal.used);
    return new LimitError({
      message: `Only ${left} left of ${refusal.max}: this change needs ${refusal.requested}`,
      field: refusal.field,
      limit: { kind: "sum", field: refusal.field, max: refusal.max, used: refusal.used },
      requested: refusal.requested,
    });
  }
  const { field, min, max, current, requested } = refusal;
  const message =
    requested < 0 && min !== undefined && current + requested < min
      ? `Only ${Math.max(0, current - min)} left`
      : max !== undefined && current + requested > max
        ? `Only room for ${Math.max(0, max - current)} more`
        : "The result would be out of range";
  return new LimitError({ message, field, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), current, requested });
}
