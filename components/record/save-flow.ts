// The save protocol from the browser's side: send only changed fields with If-Match and
// Prefer: merge. The server merges a stale save itself when every field merges by itself (200,
// Preference-Applied: merge); otherwise its 412 carries the merge, and the dialog's choices go
// back with the same edits and base, for the server to apply (lib/SPEC.md H5–H6).
import type { MergeChoice } from "@/lib/merge-choices";
import type { AutoMergeHow, FieldDef, MergeResult, RecordDto, RecordValues } from "@/lib/types";
import { api, readStale, type Versioned } from "@/components/api/client";
import { changedValues } from "./edits";
import type { FormBase } from "./live-merge";
import { toOpsBody, type CounterOps } from "./counter-ops";

export type MergeSession = {
  result: MergeResult;
  /** theirs: the record as it is now on the server */
  current: RecordDto;
  /** the token of `current` */
  etag: string;
  /** the version the user's edits started from, and its token (sent again with the choices) */
  baseVersion: number;
  baseEtag: string;
  /** the user's edits, as first sent, and the later versions some of them started from (H10) */
  patch: RecordValues;
  bases: Record<string, number>;
  /** counter deltas sent with them (H9): operations, never values */
  ops: CounterOps;
  /** someone saved again while the dialog was open */
  isRefreshed: boolean;
};

export type AutoMergeReport = { autoMerged: { key: string; how: AutoMergeHow }[]; by: string; theirsVersion: number };

export type SaveOutcome = { kind: "saved"; saved: Versioned; merged?: AutoMergeReport } | { kind: "conflict"; session: MergeSession };

export async function saveChanges(
  recordId: string,
  _fields: FieldDef[],
  base: FormBase,
  etag: string,
  edits: RecordValues,
  ops: CounterOps = {},
  idempotencyKey?: string,
): Promise<SaveOutcome> {
  const patch = changedValues(base.values, edits);
  // H10: each edit or delta made after its field took a newer value live names that version.
  const keys = [...Object.keys(patch), ...Object.keys(ops)];
  const bases = Object.fromEntries(keys.flatMap((key) => (base.fieldVersions?.[key] ? [[key, base.fieldVersions[key]]] : [])));
  return send(recordId, { baseVersion: base.version, baseEtag: etag, patch, bases, ops }, undefined, idempotencyKey, false);
}

/** "Save merged": the same edits from the same base, with the dialog's choices against the theirs it showed. */
export function saveMerged(recordId: string, session: MergeSession, choices: Record<string, MergeChoice>): Promise<SaveOutcome> {
  return send(recordId, session, { theirsVersion: session.current.version, choices }, undefined, true);
}

async function send(
  recordId: string,
  from: Pick<MergeSession, "baseVersion" | "baseEtag" | "patch" | "bases" | "ops">,
  merge: { theirsVersion: number; choices: Record<string, MergeChoice> } | undefined,
  idempotencyKey: string | undefined,
  isFromDialog: boolean,
): Promise<SaveOutcome> {
  try {
    const ops = Object.keys(from.ops).length > 0 ? toOpsBody(from.ops) : undefined;
    const saved = await api.saveRecord(recordId, from.baseEtag, from.patch, { merge, idempotencyKey, bases: from.bases, ops });
    if (!saved.merge) return { kind: "saved", saved };
    const merged = { autoMerged: saved.merge.autoMerged ?? [], by: saved.record.updatedBy.name, theirsVersion: saved.merge.overrodeVersion };
    return { kind: "saved", saved, merged };
  } catch (error) {
    const refused = readStale(error);
    if (!refused?.stale.merge) throw error;
    const { stale, etag } = refused;
    return {
      kind: "conflict",
      session: {
        result: stale.merge!,
        current: stale.current,
        etag,
        baseVersion: from.baseVersion,
        baseEtag: from.baseEtag,
        patch: from.patch,
        bases: from.bases,
        ops: from.ops,
        isRefreshed: isFromDialog,
      },
    };
  }
}
