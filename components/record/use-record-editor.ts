"use client";
// The record page's state: load (never an empty form on failure), edits kept as a draft,
// save with If-Match, the merge session of a refused save, and the notices that explain it all.
import { useCallback, useEffect, useRef, useState } from "react";
import type { MergeChoice } from "@/lib/merge-choices";
import type { Permissions } from "@/lib/permissions";
import type { CollectionDto, RecordDto, RecordValues } from "@/lib/types";
import { api, ApiError, deletedRecordOf, messageOf, type Member, type Versioned } from "@/components/api/client";
import { firstErrorKey, formErrors } from "@/components/fields/form-check";
import { dialogOutcome, type DialogOutcome } from "@/components/merge/dialog-outcome";
import type { Choices } from "@/components/merge/merge-state";
import { userLocale } from "@/components/ui/format";
import { browserDraftStorage, clearDrafts, readLatestDraft, writeDraft } from "./draft-storage";
import { changedValues, editsAfterSave, hasEdits } from "./edits";
import { saveChanges, saveMerged, type MergeSession, type SaveOutcome } from "./save-flow";
import { mergedNotice, type Notice } from "./notices";
import type { FieldValue } from "@/lib/types";
import { formEdits, reconcile, type FieldChange, type FormBase } from "./live-merge";
import { applyAccess, applyEdit, applyIncoming, applyTakeTheirs, markDeleted } from "./live-state";
import { nextDialog, type DialogState } from "./refresh-merge";
import { useSaveRetry, type PendingSave } from "./use-save-retry";
import { adjustCounter, opsAfterSave, withoutOps, type CounterOps } from "./counter-ops";
import { limitText } from "./notices";
import { parseLimitBody } from "@/lib/errors";

export type EditorState = {
  phase: "loading" | "ready" | "error" | "gone";
  error: string | null;
  collection: CollectionDto | null;
  members: Member[];
  /** the newest version known (loaded, saved, or arrived live) and its token */
  record: RecordDto | null;
  latestEtag: string;
  etag: string;
  base: FormBase;
  edits: RecordValues;
  /** counter deltas not saved yet ("−", "+", "adjust by"): sent as operations */
  ops: CounterOps;
  isSaving: boolean;
  fieldErrors: Record<string, string>;
  notice: Notice | null;
  session: MergeSession | null;
  /** the merge dialog's choices, kept here so that a refreshed dialog carries them over */
  dialog: DialogState | null;
  /** a save the server could not be reached for, to be sent again unchanged */
  pending: PendingSave | null;
  /** the field to move focus to (after a refused save), and when it was asked */
  focus: { key: string; at: number } | null;
  /** who last changed each field while this page was open */
  fieldChanges: Record<string, FieldChange>;
  /** untouched fields that just took someone else's value (highlighted briefly) */
  flashes: Record<string, FieldChange & { at: number }>;
  /** set when the record was deleted while open: who deleted it */
  deletedBy: string | null;
  /** phase "gone" of a deleted record: the record as it was (its history is still there) */
  goneRecord: RecordDto | null;
};

const INITIAL: EditorState = {
  phase: "loading",
  error: null,
  collection: null,
  members: [],
  record: null,
  latestEtag: "",
  etag: "",
  base: { version: 0, values: {} },
  edits: {},
  ops: {},
  isSaving: false,
  fieldErrors: {},
  notice: null,
  session: null,
  dialog: null,
  pending: null,
  focus: null,
  fieldChanges: {},
  flashes: {},
  deletedBy: null,
  goneRecord: null,
};

async function loadEditor(recordId: string): Promise<Partial<EditorState>> {
  const { record, etag } = await api.record(recordId);
  const [collection, members] = await Promise.all([api.collection(record.collectionId), api.members(record.collectionId).catch(() => [])]);
  const ready: Partial<EditorState> = {
    phase: "ready",
    collection,
    members,
    record,
    latestEtag: etag,
    etag,
    base: { version: record.version, values: record.values },
    edits: {},
  };
  const storage = browserDraftStorage();
  const stored = storage && collection.permissions["record.write"] ? readLatestDraft(storage, recordId) : null;
  const draft = stored && { ...stored, edits: formEdits(collection.fields, stored.edits) };
  if (!draft || draft.baseVersion > record.version || (Object.keys(draft.edits).length === 0 && !draft.ops)) return ready;
  // Pending deltas apply to whatever the counter is now: they come back as they were.
  if (draft.ops) ready.ops = draft.ops;
  const when = draft.savedAt ? new Date(draft.savedAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "earlier";
  if (draft.baseVersion === record.version) {
    return { ...ready, edits: draft.edits, notice: { tone: "info", text: `Restored your unsaved changes from ${when}. They are not saved yet.` } };
  }
  const snapshot = draft.base ?? (await api.revision(recordId, draft.baseVersion).catch(() => null))?.snapshot;
  if (!snapshot) {
    return {
      ...ready,
      edits: draft.edits,
      notice: {
        tone: "warning",
        text: `Restored your unsaved changes from ${when} onto v${record.version}; the version they started from is no longer available.`,
      },
    };
  }
  // Untouched fields show the current values; edited fields that changed since are marked (live-merge).
  const old = { ...record, version: draft.baseVersion, values: snapshot };
  const base = { version: draft.baseVersion, values: snapshot, ...(draft.fieldVersions ? { fieldVersions: draft.fieldVersions } : {}) };
  const { form, changes } = reconcile(collection.fields, { base, etag: draft.etag, edits: draft.edits, latest: old, latestEtag: draft.etag }, { record, etag });
  return {
    ...ready,
    etag: form.etag,
    base: form.base,
    edits: form.edits,
    fieldChanges: changes,
    notice:
      form.base.version === record.version
        ? {
            tone: "info",
            text: `Restored your unsaved changes from ${when}. The record moved on to v${record.version} meanwhile, without touching the fields you changed. They are not saved yet.`,
          }
        : {
            tone: "warning",
            text: `Restored your unsaved changes from ${when}. They started from v${draft.baseVersion}; the record is now at v${record.version}, so saving will merge them with the newer changes.`,
          },
  };
}

export function useRecordEditor(recordId: string) {
  const [state, setState] = useState<EditorState>(INITIAL);
  const patch = useCallback((next: Partial<EditorState> | ((s: EditorState) => Partial<EditorState>)) => {
    setState((s) => ({ ...s, ...(typeof next === "function" ? next(s) : next) }));
  }, []);

  const load = useCallback(async () => {
    patch({ phase: "loading", error: null });
    try {
      patch(await loadEditor(recordId));
    } catch (error) {
      const isGone = error instanceof ApiError && (error.status === 410 || error.status === 404);
      patch({ phase: isGone ? "gone" : "error", error: messageOf(error), goneRecord: deletedRecordOf(error) });
    }
  }, [recordId, patch]);

  useEffect(() => {
    void load();
  }, [load]);

  const canEdit = state.collection !== null && state.collection.permissions["record.write"];
  const isDirty = hasEdits(state.base.values, state.edits) || Object.keys(state.ops).length > 0;

  // Keep the draft in the browser as the user types; drop it once nothing is unsaved.
  useEffect(() => {
    const storage = browserDraftStorage();
    if (state.phase !== "ready" || !canEdit || !storage) return;
    if (isDirty) {
      const { version, values, fieldVersions } = state.base;
      const ops = Object.keys(state.ops).length > 0 ? { ops: state.ops } : {};
      writeDraft(storage, {
        recordId,
        baseVersion: version,
        etag: state.etag,
        base: values,
        ...(fieldVersions ? { fieldVersions } : {}),
        edits: state.edits,
        ...ops,
        savedAt: new Date().toISOString(),
      });
    } else clearDrafts(storage, recordId);
  }, [state.phase, state.edits, state.ops, state.base, state.etag, canEdit, isDirty, recordId]);

  // Leaving with unsaved edits asks first (the draft survives anyway).
  useEffect(() => {
    if (!isDirty) return;
    const guard = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", guard);
    return () => window.removeEventListener("beforeunload", guard);
  }, [isDirty]);

  const setField = useCallback(
    (key: string, value: FieldValue) => {
      patch((s) => {
        const fieldErrors = { ...s.fieldErrors };
        delete fieldErrors[key];
        return { ...applyEdit(s, key, value), ops: withoutOps(s.ops, key), fieldErrors };
      });
    },
    [patch],
  );

  /** "−", "+" or "adjust by" on a counter: a delta, or an adjustment of the typed value. */
  const adjust = useCallback(
    (key: string, delta: number) => {
      patch((s) => {
        const next = adjustCounter(s.edits, s.ops, key, delta);
        const fieldErrors = { ...s.fieldErrors };
        delete fieldErrors[key];
        return { ...(next.edits === s.edits ? {} : applyEdit(s, key, next.edits[key]!)), ops: next.ops, fieldErrors };
      });
    },
    [patch],
  );

  /** `sentEdits`: the form's edits when the save started (null from the dialog, which is modal); `sentOps` its deltas. */
  const applyOutcome = useCallback(
    (outcome: SaveOutcome, sentEdits: RecordValues | null, afterRetry = false, sentOps: CounterOps = {}) => {
      if (outcome.kind === "conflict") {
        const { current, etag } = outcome.session;
        patch((s) => {
          const next = { ...s, ...applyIncoming(s, { record: current, etag }) };
          const dialog = nextDialog(outcome.session, s.dialog);
          return { ...next, isSaving: false, session: dialog.session, dialog, notice: null, pending: null };
        });
        return;
      }
      const { record, etag } = outcome.saved;
      patch((s) => ({
        isSaving: false,
        session: null,
        dialog: null,
        pending: null,
        record,
        latestEtag: etag,
        etag,
        fieldErrors: {},
        base: { version: record.version, values: record.values },
        edits: sentEdits ? editsAfterSave(s.edits, sentEdits, record.values) : {},
        ops: sentEdits ? opsAfterSave(s.ops, sentOps) : {},
        notice: outcome.merged
          ? mergedNotice(outcome.merged, record, sentEdits === null, s.collection?.fields ?? [])
          : afterRetry
            ? { tone: "success", text: `The connection is back: your save went through as v${record.version}.` }
            : null,
      }));
    },
    [patch],
  );

  const failSave = useCallback(
    (error: unknown, request?: Omit<PendingSave, "failedAt" | "attempts">) => {
      if (error instanceof ApiError && error.status === 0 && request) {
        // Never reached the server, or its answer never reached us: send the same request again later.
        patch((s) => ({
          isSaving: false,
          pending: { ...request, failedAt: Date.now(), attempts: (s.pending?.attempts ?? 0) + 1 },
          notice: {
            tone: "warning",
            text: "Not saved yet: the server can’t be reached. Your edits are kept, and the save is sent again by itself as soon as the connection is back (the same request, so it can never apply twice).",
          },
        }));
        return;
      }
      if (error instanceof ApiError && error.code === "archived") {
        // Archived while this page was open: the form turns read-only and keeps what was typed.
        patch({
          isSaving: false,
          pending: null,
          notice: {
            tone: "error",
            text: "Not saved: this collection was archived, so its records are read-only. Your edits are still shown (and kept in this browser) until an owner unarchives it.",
          },
        });
        const collectionId = state.collection?.id;
        if (collectionId)
          void api.collection(collectionId).then(
            (fresh) => patch((s) => (s.collection ? { collection: fresh } : {})),
            () => {},
          );
        return;
      }
      const limit = error instanceof ApiError && error.code === "limit" ? parseLimitBody(error.body) : null;
      if (limit) {
        // A bound or a limit refused it: say so in words, keep the change to adjust or retry.
        const label = state.collection?.fields.find((f) => f.key === limit.field)?.label ?? limit.field;
        const text = limitText(limit, label);
        patch({
          isSaving: false,
          pending: null,
          fieldErrors: { [limit.field]: text },
          notice: { tone: "error", text: `Not saved: ${text} Your change is kept: adjust it, or save again.` },
          focus: { key: limit.field, at: Date.now() },
        });
        return;
      }
      const fieldErrors = error instanceof ApiError ? error.fieldErrors : null;
      const text = fieldErrors ? "Some fields need attention before this can be saved." : `Not saved: ${messageOf(error)} Your edits are kept.`;
      const key = fieldErrors ? firstErrorKey(state.collection?.fields ?? [], fieldErrors) : null;
      patch({ isSaving: false, pending: null, fieldErrors: fieldErrors ?? {}, notice: { tone: "error", text }, focus: key ? { key, at: Date.now() } : null });
    },
    [patch, state.collection],
  );

  // A second Ctrl-S before React re-renders must not send the same save twice.
  const inFlight = useRef(false);
  // A pending save already sent again: the triggers that fire together when the connection comes
  // back (online, the socket, the timer) must not send it once each before React has re-rendered.
  const resent = useRef<object | null>(null);
  const send = useCallback(
    async (request: Omit<PendingSave, "failedAt" | "attempts">, isRetry: boolean) => {
      if (inFlight.current || !state.collection) return;
      inFlight.current = true;
      if (isRetry) resent.current = request;
      patch({ isSaving: true, notice: isRetry ? { tone: "info", text: "Sending your save again…" } : null });
      try {
        applyOutcome(
          await saveChanges(recordId, state.collection.fields, request.base, request.etag, request.edits, request.ops),
          request.edits,
          isRetry,
          request.ops,
        );
      } catch (error) {
        failSave(error, request);
      } finally {
        inFlight.current = false;
      }
    },
    [state.collection, recordId, patch, applyOutcome, failSave],
  );

  const retryPending = useCallback(() => {
    if (state.pending && state.pending !== resent.current && !state.session && !state.deletedBy) void send(state.pending, true);
  }, [state.pending, state.session, state.deletedBy, send]);
  useSaveRetry(state.pending, retryPending);

  const save = useCallback(async () => {
    const s = state;
    if (s.phase !== "ready" || inFlight.current || s.session || !canEdit || !s.collection || s.deletedBy) return;
    // A save waiting to be sent again goes first, unchanged; newer edits stay unsaved for the next one.
    if (s.pending) return retryPending();
    if (!isDirty) return;
    const edits = formEdits(s.collection.fields, s.edits);
    const errors = formErrors(s.collection.fields, changedValues(s.base.values, edits), "patch", userLocale());
    const first = firstErrorKey(s.collection.fields, errors);
    if (first || errors._) {
      const text =
        Object.keys(errors).length === 1 && first
          ? "This field needs attention before the record can be saved."
          : "Some fields need attention before the record can be saved.";
      patch({ fieldErrors: errors, notice: { tone: "error", text }, focus: first ? { key: first, at: Date.now() } : null });
      return;
    }
    await send({ base: s.base, etag: s.etag, edits, ops: s.ops }, false);
  }, [state, canEdit, isDirty, patch, send, retryPending]);

  /** Resolves to field errors for the dialog to show, or null when saved or the dialog refreshed. */
  // When the dialog opened, for the time-to-resolution the server counts (metrics only).
  const dialogOpenedAt = useRef<number | null>(null);
  useEffect(() => {
    if (state.session && dialogOpenedAt.current === null) dialogOpenedAt.current = performance.now();
    if (!state.session) dialogOpenedAt.current = null;
  }, [state.session]);
  const reportDialog = useCallback(
    (outcome: DialogOutcome) => {
      const openedAt = dialogOpenedAt.current;
      if (openedAt === null) return;
      api.reportMergeOutcome(recordId, outcome, performance.now() - openedAt).catch(() => {});
    },
    [recordId],
  );

  const saveResolution = useCallback(
    async (choices: Record<string, MergeChoice>) => {
      const { session, collection } = state;
      if (!session || !collection) return null;
      if (!navigator.onLine) return { _: "You are offline. Your choices are kept here; save them once the connection is back." };
      patch({ isSaving: true });
      try {
        const outcome = await saveMerged(recordId, session, choices);
        if (outcome.kind === "saved") reportDialog(dialogOutcome(choices));
        applyOutcome(outcome, null);
        return null;
      } catch (error) {
        patch({ isSaving: false });
        if (error instanceof ApiError && error.fieldErrors) return error.fieldErrors;
        return { _: messageOf(error) };
      }
    },
    [state, recordId, patch, applyOutcome, reportDialog],
  );

  const setChoices = useCallback(
    (update: (choices: Choices) => Choices) => {
      patch((s) => (s.dialog ? { dialog: { ...s.dialog, choices: update(s.dialog.choices) } } : {}));
    },
    [patch],
  );

  const cancelMerge = useCallback(() => {
    reportDialog("cancel");
    patch({
      session: null,
      dialog: null,
      notice: { tone: "info", text: "Merge cancelled. Your edits are still here and kept as a draft; saving will ask again." },
    });
  }, [patch, reportDialog]);

  const dismissNotice = useCallback(() => patch({ notice: null }), [patch]);

  /** "Discard changes": the form goes back to the version it started from, and the draft goes (the effect above drops it). */
  const discard = useCallback(() => {
    patch({
      edits: {},
      ops: {},
      fieldErrors: {},
      pending: null,
      focus: null,
      session: null,
      dialog: null,
      notice: { tone: "info", text: "Your unsaved changes were discarded." },
    });
  }, [patch]);

  /** Deletes the version this page shows newest (If-Match); answers the token the undelete needs. A stale token throws the 412. */
  const latestEtag = state.latestEtag;
  const remove = useCallback(async (): Promise<string> => {
    const { record, etag } = await api.deleteRecord(recordId, latestEtag);
    patch({ record, latestEtag: etag, deletedBy: "you", session: null, dialog: null });
    return etag;
  }, [recordId, latestEtag, patch]);

  /** Undoes this page's delete with the token the delete answered, and loads the record again. */
  const undelete = useCallback(
    async (etag: string) => {
      await api.undeleteRecord(recordId, etag);
      patch({ deletedBy: null, notice: { tone: "success", text: "The record is back." } });
      await load();
    },
    [recordId, patch, load],
  );

  const live = {
    /** a newer version arrived (record:saved, or caught up after a reconnect) */
    receive: useCallback((versioned: Versioned) => patch((s) => applyIncoming(s, versioned)), [patch]),
    deleted: useCallback((by: string) => patch((s) => markDeleted(s, by)), [patch]),
    takeTheirs: useCallback((key: string) => patch((s) => applyTakeTheirs(s, key)), [patch]),
    /** what we may do now, as the server said on (re)joining; null: we may no longer see the record */
    access: useCallback((permissions: Permissions | null) => patch((s) => applyAccess(s, permissions)), [patch]),
    noticeError: useCallback((text: string) => patch({ notice: { tone: "error", text } }), [patch]),
    /** the collection's fields changed: the form shows the new ones; edits (by field key) stay */
    schema: useCallback(
      (collection: CollectionDto) => patch((s) => (s.collection && collection.version > s.collection.version ? { collection } : {})),
      [patch],
    ),
    /** a collection limit's numbers moved */
    limits: useCallback((limits: CollectionDto["limits"]) => patch((s) => (s.collection ? { collection: { ...s.collection, limits } } : {})), [patch]),
  };
  return {
    state,
    mayWrite: canEdit,
    canEdit: canEdit && !state.deletedBy,
    isDirty,
    load,
    setField,
    adjust,
    save,
    saveResolution,
    setChoices,
    cancelMerge,
    dismissNotice,
    discard,
    remove,
    undelete,
    live,
  };
}
