// The save protocol from the browser's side: send only changed fields with If-Match; on a 412,
// merge three-way; save at once when everything merged by itself, else hand back a session for
// the merge dialog. A merged save that is refused again is merged again (bounded).
import { mergeRecord } from "@/lib/merge";
import type { AutoMergeHow, FieldDef, MergeResult, RecordDto, RecordValues, Resolution } from "@/lib/types";
import { api, readStale, type Versioned } from "@/components/api/client";
import { autoResolution, resolutionsFor } from "@/components/merge/merge-state";
import { changedValues } from "./edits";

export type MergeSession = {
  result: MergeResult;
  /** theirs: the record as it is now on the server */
  current: RecordDto;
  /** the token of `current`, sent with "Save merged" */
  etag: string;
  /** the version the user's edits started from */
  baseVersion: number;
  /** someone saved again while the dialog was open */
  isRefreshed: boolean;
};

export type AutoMergeReport = { autoMerged: { key: string; how: AutoMergeHow }[]; by: string; theirsVersion: number };

export type SaveOutcome =
  | { kind: "saved"; saved: Versioned; merged?: AutoMergeReport }
  | { kind: "conflict"; session: MergeSession };

const MAX_AUTO_RETRIES = 3;

export async function saveChanges(
  recordId: string,
  fields: FieldDef[],
  base: { version: number; values: RecordValues },
  etag: string,
  edits: RecordValues,
): Promise<SaveOutcome> {
  const patch = changedValues(base.values, edits);
  try {
    return { kind: "saved", saved: await api.saveRecord(recordId, etag, patch) };
  } catch (error) {
    const refused = readStale(error);
    if (!refused) throw error;
    // The form's own base, not the server's snapshot of that version: after live updates it holds
    // the values the viewer actually saw for untouched fields (see live-merge.ts, L3).
    const mine = { ...base.values, ...patch };
    return mergeAfterRefusal(recordId, fields, refused, mine, base.version, 0, base.values);
  }
}

async function mergeAfterRefusal(
  recordId: string,
  fields: FieldDef[],
  refused: NonNullable<ReturnType<typeof readStale>>,
  mine: RecordValues,
  baseVersion: number,
  attempt: number,
  baseValues: RecordValues = refused.stale.base.values,
): Promise<SaveOutcome> {
  const { stale, etag } = refused;
  const result = mergeRecord(fields, baseValues, mine, stale.current.values);
  const session: MergeSession = { result, current: stale.current, etag, baseVersion, isRefreshed: attempt > 0 };
  if (result.conflicts.length > 0) return { kind: "conflict", session };
  const resolutions = Object.fromEntries(result.autoMerged.map(({ key, how }) => [key, autoResolution(how)]));
  return saveMerged(recordId, fields, session, result.merged, resolutions, attempt);
}

/** Saves the merged values (only what differs from theirs) with theirs' token and the merge notes. */
export async function saveMerged(
  recordId: string,
  fields: FieldDef[],
  session: MergeSession,
  values: RecordValues,
  resolutions: Record<string, Resolution>,
  attempt = 0,
): Promise<SaveOutcome> {
  const patch = changedValues(session.current.values, values);
  const keys = Object.keys(patch);
  const report: AutoMergeReport = {
    autoMerged: session.result.autoMerged,
    by: session.current.updatedBy.name,
    theirsVersion: session.current.version,
  };
  if (keys.length === 0) {
    return { kind: "saved", saved: { record: session.current, etag: session.etag }, merged: report };
  }
  try {
    const merge = { baseVersion: session.baseVersion, fields: resolutionsFor(resolutions, keys) };
    const saved = await api.saveRecord(recordId, session.etag, patch, merge);
    return { kind: "saved", saved, merged: report };
  } catch (error) {
    const refused = readStale(error);
    if (!refused || attempt >= MAX_AUTO_RETRIES) throw error;
    return mergeAfterRefusal(recordId, fields, refused, values, session.baseVersion, attempt + 1);
  }
}
