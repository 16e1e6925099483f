"use client";
import Link from "next/link";
import { useEffect, useMemo, useRef } from "react";
import type { CollectionDto, FieldDef, RecordDto } from "@/lib/types";
import type { ConnectionState } from "@/components/realtime/connection";
import type { PresencePeer } from "@/components/realtime/use-live-record";
import { emptyValue, valuesEqual } from "@/lib/fields";
import { useSchemaUpdates } from "@/components/schema/use-schema-updates";
import { FieldRow } from "@/components/fields/field-row";
import { MergeDialog } from "@/components/merge/merge-dialog";
import { Button } from "@/components/ui/button";
import { NoticeBar } from "@/components/ui/notice-bar";
import { ErrorBlock, LoadingBlock } from "@/components/ui/states";
import { formatRelative } from "@/components/ui/format";
import { ConnectionIndicator } from "@/components/realtime/connection-indicator";
import { ArchivedNotice } from "@/components/collections/archived-notice";
import { LiveDocContext } from "@/components/realtime/live-doc-context";
import { PresenceAvatars } from "@/components/realtime/presence-avatars";
import { focusField } from "@/components/fields/form-check";
import { useDocumentTitle } from "@/components/shell/use-document-title";
import { firstName, LiveField } from "./live-field";
import { RecordActions } from "./record-actions";
import { recordTitle } from "./record-title";
import { pendingConflicts } from "./live-merge";
import { SaveStatus } from "./save-status";
import { useLiveEditor } from "./use-live-editor";
import { useRecordEditor } from "./use-record-editor";
import { counterValue } from "./counter-ops";

export { recordTitle } from "./record-title";

const WIDE: FieldDef["type"][] = ["longtext", "richtext", "tags"];

/** "3 seats left of 100": a collection limit on this field, as the server last said it. */
function limitNote(collection: CollectionDto, def: FieldDef): string | undefined {
  const limit = collection.limits?.find((l) => l.kind === "sum" && l.field === def.key);
  if (!limit) return undefined;
  const left = Math.max(0, limit.max - limit.used);
  return `${left} ${def.label.toLowerCase()} left of ${limit.max} across ${collection.name}`;
}

// Rendered only in the browser (the form appears after loading), so no hydration mismatch.
const isMac = () => typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.userAgent);

export function RecordEditor({ recordId }: { recordId: string }) {
  const editor = useRecordEditor(recordId);
  const { state, canEdit, isDirty } = editor;
  const live = useLiveEditor(recordId, editor);
  const myColor = live.myColor;
  const liveDoc = useMemo(
    () => ({ provider: live.provider, status: live.docStatus, me: live.me && myColor ? { ...live.me, color: myColor } : null }),
    [live.provider, live.docStatus, live.me?.id, myColor],
  ); // eslint-disable-line react-hooks/exhaustive-deps
  const title = state.collection && state.record ? recordTitle(state.collection.fields, { ...state.base.values, ...state.edits }) : null;
  useDocumentTitle([title, state.collection?.name, state.collection?.workspaceName]);
  useSchemaUpdates(state.collection?.id, state.collection?.version, editor.live.schema);
  // After a refused save: the first field in trouble gets the focus (and scrolls clear of the header).
  useEffect(() => {
    if (state.focus) focusField(`field-${state.focus.key}`);
  }, [state.focus]);
  const saveRef = useRef(editor.save);
  useEffect(() => {
    saveRef.current = editor.save;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
        event.preventDefault();
        void saveRef.current();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  if (state.phase === "loading") return <EditorSkeleton />;
  if (state.phase === "gone") {
    const gone = state.goneRecord;
    return (
      <ErrorBlock
        title={gone ? "This record was deleted" : "There is no such record"}
        message={gone ? "Its history stays readable." : "It may be in a workspace you are not a member of, or the link is wrong."}
        back={
          gone
            ? [
                { href: `/records/${gone.id}/history`, label: "See its history" },
                { href: `/collections/${gone.collectionId}`, label: "Back to the collection" },
              ]
            : { href: "/", label: "Back to your collections" }
        }
      />
    );
  }
  if (state.phase === "error" || !state.collection || !state.record) {
    return (
      <ErrorBlock
        title="Couldn’t load this record"
        message={state.error ?? "Unknown error"}
        onRetry={editor.load}
        back={{ href: "/", label: "Back to your collections" }}
      />
    );
  }
  const { collection, record, base, edits } = state;
  // A counter with a pending delta shows the newest value plus the delta (L8); its base may be older.
  const valueOf = (def: FieldDef) =>
    def.type === "counter"
      ? counterValue(def, (state.ops[def.key] ? record.values[def.key] : base.values[def.key]) ?? null, edits, state.ops)
      : Object.hasOwn(edits, def.key)
        ? edits[def.key]!
        : (base.values[def.key] ?? emptyValue(def));
  const users = Object.fromEntries(state.members.map((m) => [m.id, m.name]));
  const form = { base, etag: state.etag, edits, latest: record, latestEtag: state.latestEtag };
  const conflicts = new Set(pendingConflicts(collection.fields, form));
  const underneathOf = (key: string) =>
    conflicts.has(key)
      ? {
          base: base.values[key] ?? null,
          mine: edits[key]!,
          theirs: record.values[key] ?? null,
          change: state.fieldChanges[key] ?? { by: record.updatedBy.name, version: record.version },
        }
      : undefined;

  return (
    <div className="space-y-5">
      <RecordHeader
        collection={collection}
        record={record}
        title={title ?? ""}
        peers={live.peers}
        connection={live.connection}
        isSaving={state.isSaving}
        isDirty={isDirty}
        canEdit={canEdit}
        isWaiting={state.pending !== null}
        version={base.version}
        onSave={() => void editor.save()}
      />

      <RecordActions
        collectionId={collection.id}
        isDirty={isDirty}
        canDiscard={canEdit}
        canDelete={collection.permissions["record.delete"] && !state.deletedBy}
        onDiscard={editor.discard}
        onDelete={editor.remove}
        onUndelete={editor.undelete}
      />

      {collection.archivedAt ? (
        <ArchivedNotice collection={collection} onUnarchived={editor.live.schema} />
      ) : (
        !editor.mayWrite && <NoticeBar notice={{ tone: "info", text: "You have view access to this collection, so this record is read-only." }} />
      )}
      {state.deletedBy && state.deletedBy !== "you" && (
        <NoticeBar
          notice={{
            tone: "error",
            text: `This record was deleted${state.deletedBy === "someone" ? "" : ` by ${firstName(state.deletedBy)}`}. It is read-only now; anything you had not saved is still shown so you can copy it.`,
            link: { href: `/records/${record.id}/history`, label: "See its history" },
          }}
        />
      )}
      {state.notice && <NoticeBar notice={state.notice} onDismiss={editor.dismissNotice} />}

      <LiveDocContext.Provider value={liveDoc}>
        <form
          aria-label="Record"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void editor.save();
          }}
          className="grid min-w-0 gap-x-6 gap-y-5 rounded-xl border border-slate-200 bg-surface p-4 shadow-sm sm:grid-cols-2 sm:p-6"
        >
          {collection.fields.map((def) => (
            <div key={def.key} className={`min-w-0 ${WIDE.includes(def.type) ? "sm:col-span-2" : ""}`}>
              <LiveField
                def={def}
                editors={live.peers.filter((p) => p.field === def.key)}
                flash={state.flashes[def.key]}
                underneath={underneathOf(def.key)}
                users={users}
                onTakeTheirs={() => editor.live.takeTheirs(def.key)}
                onFocusChange={(isFocused) => live.setEditingField(isFocused ? def.key : null)}
              >
                <FieldRow
                  def={def}
                  value={valueOf(def)}
                  onChange={(value) => editor.setField(def.key, value)}
                  isReadOnly={!canEdit}
                  isChanged={(Object.hasOwn(edits, def.key) && !valuesEqual(edits[def.key], base.values[def.key] ?? null)) || !!state.ops[def.key]}
                  counter={def.type === "counter" ? { pending: state.ops[def.key] ?? 0, onAdjust: (delta) => editor.adjust(def.key, delta) } : undefined}
                  note={limitNote(collection, def)}
                  error={state.fieldErrors[def.key]}
                  members={state.members}
                />
              </LiveField>
            </div>
          ))}
        </form>
      </LiveDocContext.Provider>

      {state.session && (
        <MergeDialog
          session={state.session}
          choices={state.dialog?.choices ?? {}}
          changedAgain={state.dialog?.changedAgain ?? []}
          onChoose={(key, choice) => editor.setChoices((c) => ({ ...c, [key]: choice }))}
          fields={collection.fields}
          members={state.members}
          isSaving={state.isSaving}
          onSave={editor.saveResolution}
          onCancel={editor.cancelMerge}
        />
      )}
    </div>
  );
}

type HeaderProps = {
  collection: CollectionDto;
  record: RecordDto;
  title: string;
  peers: PresencePeer[];
  connection: ConnectionState;
  isSaving: boolean;
  isDirty: boolean;
  canEdit: boolean;
  /** a failed save waits to be sent again: Save becomes "Retry now" */
  isWaiting: boolean;
  version: number;
  onSave: () => void;
};

/** Where the record is, who is here, the live and save state, and Save; wraps onto lines on a phone. */
function RecordHeader({ collection, record, title, peers, connection, isSaving, isDirty, canEdit, isWaiting, version, onSave }: HeaderProps) {
  return (
    <div className="flex flex-wrap items-end gap-x-6 gap-y-3">
      <div className="min-w-0 flex-1 basis-60">
        <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
          <Link href="/" className="hover:text-slate-900">
            Collections
          </Link>
          <span aria-hidden="true" className="px-1.5">
            /
          </span>
          <Link href={`/collections/${collection.id}`} className="hover:text-slate-900">
            {collection.name}
          </Link>
        </nav>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight break-words text-slate-900">{title}</h1>
        <p className="mt-0.5 text-xs text-slate-600">
          Last saved by {record.updatedBy.name} {formatRelative(record.updatedAt)}
        </p>
      </div>
      <div className="flex max-w-full flex-wrap items-center gap-x-3 gap-y-2">
        <PresenceAvatars peers={peers} />
        <ConnectionIndicator state={connection} />
        <SaveStatus isSaving={isSaving} isDirty={isDirty} isReadOnly={!canEdit} isWaiting={isWaiting} version={version} />
        <div className="flex items-center gap-2">
          <Link
            href={`/records/${record.id}/history`}
            className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
          >
            History
          </Link>
          {canEdit && (
            <Button variant="primary" onClick={onSave} disabled={(!isDirty && !isWaiting) || isSaving} title="Save (Ctrl+S / ⌘S)">
              {isWaiting ? "Retry now" : "Save"}
              <kbd className="hidden rounded bg-black/25 px-1 text-[10px] font-normal sm:inline">{isMac() ? "⌘S" : "Ctrl S"}</kbd>
            </Button>
          )}
        </div>
      </div>
    </div>
  );
}

function EditorSkeleton() {
  return (
    <div className="space-y-5">
      <div className="h-16 w-72 animate-pulse rounded-md bg-slate-200/80" />
      <div className="rounded-xl border border-slate-200 bg-surface p-6 shadow-sm">
        <LoadingBlock label="Loading record" rows={6} />
      </div>
    </div>
  );
}
