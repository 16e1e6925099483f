"use client";
import { useCallback, useEffect, useState } from "react";
import type { CollectionDto, RecordDto, RevisionDto } from "@/lib/types";
import { formatEtag } from "@/lib/etag";
import { api, ApiError, deletedRecordOf, messageOf, type Member } from "@/components/api/client";
import type { Notice } from "@/components/record/notices";

export type HistoryFilter = { field: string; author: string };

type State = {
  phase: "loading" | "ready" | "error";
  error: string | null;
  /** the HTTP status of a failed load (404: no such record), to word the error page */
  errorStatus: number | null;
  record: RecordDto | null;
  etag: string;
  collection: CollectionDto | null;
  members: Member[];
  revisions: RevisionDto[];
  nextCursor: string | null;
  isListLoading: boolean;
  isRestoring: boolean;
  notice: Notice | null;
};

const INITIAL: State = {
  phase: "loading",
  error: null,
  errorStatus: null,
  record: null,
  etag: "",
  collection: null,
  members: [],
  revisions: [],
  nextCursor: null,
  isListLoading: true,
  isRestoring: false,
  notice: null,
};

function listParams(filter: HistoryFilter, cursor: string | null): Record<string, string> {
  const params: Record<string, string> = { limit: "30" };
  if (filter.field) params.field = filter.field;
  if (filter.author) params.author = filter.author;
  if (cursor) params.cursor = cursor;
  return params;
}

/** The history page's data: record and token (restore needs If-Match), the filtered timeline, restore. */
export function useHistory(recordId: string, filter: HistoryFilter) {
  const [state, setState] = useState<State>(INITIAL);
  const patch = useCallback(
    (next: Partial<State> | ((s: State) => Partial<State>)) => setState((s) => ({ ...s, ...(typeof next === "function" ? next(s) : next) })),
    [],
  );

  const loadRecord = useCallback(async () => {
    try {
      // A deleted record answers 410 with the record as it was: its history stays readable.
      const { record, etag } = await api.record(recordId).catch((e: unknown) => {
        const deleted = deletedRecordOf(e);
        if (!deleted) throw e;
        return { record: deleted, etag: "" };
      });
      const [collection, members] = await Promise.all([api.collection(record.collectionId), api.members(record.collectionId).catch(() => [])]);
      patch({ phase: "ready", record, etag, collection, members });
    } catch (e) {
      patch({ phase: "error", error: messageOf(e), errorStatus: e instanceof ApiError ? e.status : null });
    }
  }, [recordId, patch]);

  const loadRevisions = useCallback(
    async (cursor: string | null) => {
      patch({ isListLoading: true });
      try {
        const page = await api.revisions(recordId, listParams(filter, cursor));
        patch((s) => ({ revisions: cursor ? [...s.revisions, ...page.revisions] : page.revisions, nextCursor: page.nextCursor, isListLoading: false }));
      } catch (e) {
        patch({ isListLoading: false, notice: { tone: "error", text: `Couldn’t load the history: ${messageOf(e)}` } });
      }
    },
    [recordId, filter, patch],
  );

  useEffect(() => {
    void loadRecord();
  }, [loadRecord]);
  useEffect(() => {
    void loadRevisions(null);
  }, [loadRevisions]);

  const restore = useCallback(
    async (version: number, fields?: string[], fieldLabel?: string) => {
      patch({ isRestoring: true, notice: null });
      try {
        const { record, etag } = await api.restore(recordId, state.etag, version, fields);
        const what = fieldLabel ? `${fieldLabel} from v${version}` : `v${version}`;
        patch({
          record,
          etag,
          isRestoring: false,
          notice: { tone: "success", text: `Restored ${what}. Saved as v${record.version}.`, link: { href: `/records/${recordId}`, label: "Open record" } },
        });
        await loadRevisions(null);
        return record.version;
      } catch (e) {
        const isStale = e instanceof ApiError && e.isStale;
        patch({
          isRestoring: false,
          notice: {
            tone: "error",
            text: isStale
              ? "Someone saved this record meanwhile. The history is refreshed; check the latest version and try again."
              : `Not restored: ${messageOf(e)}`,
          },
        });
        if (isStale) await Promise.all([loadRecord(), loadRevisions(null)]);
        return null;
      }
    },
    [recordId, state.etag, patch, loadRecord, loadRevisions],
  );

  /** Brings a deleted record back (undelete, If-Match: the deleted version), then reads it and its history again. */
  const undelete = useCallback(async () => {
    const record = state.record;
    if (!record) return;
    try {
      await api.undeleteRecord(record.id, formatEtag(record.id, record.version));
      await loadRecord();
      await loadRevisions(null);
      patch({ notice: { tone: "success", text: "The record is back, as a new version.", link: { href: `/records/${record.id}`, label: "Open it" } } });
    } catch (e) {
      patch({ notice: { tone: "error", text: `Couldn’t bring it back: ${messageOf(e)}` } });
      await loadRecord();
    }
  }, [state.record, loadRecord, loadRevisions, patch]);

  return { state, restore, undelete, loadMore: () => loadRevisions(state.nextCursor), reload: loadRecord, dismissNotice: () => patch({ notice: null }) };
}
