// Unsaved edits kept in the browser per record and base version, so that a reload, a crash or
// a closed tab loses nothing. The storage is passed in (localStorage in the app, a fake in tests).
import type { RecordValues } from "@/lib/types";

export type Draft = {
  recordId: string;
  baseVersion: number;
  /** the version token the edits started from, sent as If-Match so a stale draft takes the merge path */
  etag: string;
  /** the values the edits started from (composite after live updates); absent in older drafts */
  base?: RecordValues;
  /** fields of `base` taken from later versions (live-merge.ts FormBase) */
  fieldVersions?: Record<string, number>;
  /** counter deltas not saved yet (counter-ops.ts) */
  ops?: Record<string, number>;
  edits: RecordValues;
  savedAt: string;
};

export type DraftStorage = Pick<Storage, "getItem" | "setItem" | "removeItem" | "key" | "length">;

const PREFIX = "tandem:draft:";

export function draftKey(recordId: string, baseVersion: number): string {
  return `${PREFIX}${recordId}:${baseVersion}`;
}

function keysOf(storage: DraftStorage, recordId: string): string[] {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(`${PREFIX}${recordId}:`)) keys.push(key);
  }
  return keys;
}

/** Stores the draft and drops the record's drafts of other base versions (they are superseded). */
export function writeDraft(storage: DraftStorage, draft: Draft): void {
  const own = draftKey(draft.recordId, draft.baseVersion);
  for (const key of keysOf(storage, draft.recordId)) if (key !== own) storage.removeItem(key);
  try {
    storage.setItem(own, JSON.stringify(draft));
  } catch {
    // Quota exceeded or storage disabled: the form still holds the edits.
  }
}

/** The record's draft with the highest base version, or null; malformed entries are ignored. */
export function readLatestDraft(storage: DraftStorage, recordId: string): Draft | null {
  let best: Draft | null = null;
  for (const key of keysOf(storage, recordId)) {
    const draft = parseDraft(storage.getItem(key), recordId);
    if (draft && (!best || draft.baseVersion > best.baseVersion)) best = draft;
  }
  return best;
}

/** How many records have unsaved edits kept in this browser (one recordId: just that record's). */
export function countDrafts(storage: DraftStorage, recordId?: string): number {
  const records = new Set<string>();
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (!key?.startsWith(PREFIX)) continue;
    const id = key.slice(PREFIX.length).split(":")[0]!;
    if (!recordId || id === recordId) records.add(id);
  }
  return records.size;
}

export function clearDrafts(storage: DraftStorage, recordId: string): void {
  for (const key of keysOf(storage, recordId)) storage.removeItem(key);
}

function parseDraft(text: string | null, recordId: string): Draft | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<Draft>;
    if (value.recordId !== recordId || !Number.isInteger(value.baseVersion) || typeof value.etag !== "string") return null;
    if (!value.edits || typeof value.edits !== "object" || Array.isArray(value.edits)) return null;
    const opsEntries = Object.entries(value.ops && typeof value.ops === "object" ? value.ops : {}).filter(([, v]) => Number.isSafeInteger(v) && v !== 0);
    if (Object.keys(value.edits).length === 0 && opsEntries.length === 0) return null;
    const base = value.base && typeof value.base === "object" && !Array.isArray(value.base) ? value.base : undefined;
    const versions = value.fieldVersions && typeof value.fieldVersions === "object" ? value.fieldVersions : {};
    const fieldVersions = Object.fromEntries(Object.entries(versions).filter(([, v]) => Number.isInteger(v)));
    return {
      recordId,
      baseVersion: value.baseVersion!,
      etag: value.etag,
      ...(base ? { base } : {}),
      ...(Object.keys(fieldVersions).length > 0 ? { fieldVersions } : {}),
      ...(opsEntries.length > 0 ? { ops: Object.fromEntries(opsEntries) } : {}),
      edits: value.edits,
      savedAt: String(value.savedAt ?? ""),
    };
  } catch {
    return null;
  }
}

/** localStorage when the browser allows it (private modes may throw on access). */
export function browserDraftStorage(): DraftStorage | null {
  try {
    return typeof window !== "undefined" ? window.localStorage : null;
  } catch {
    return null;
  }
}
