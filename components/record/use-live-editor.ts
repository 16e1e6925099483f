"use client";
// Connects the record editor to the live layer: saves by others (and the catch-up after a
// reconnect) arrive as record:saved / onJoined; the page fetches the record with its token and
// lets live-merge decide what changes. Deletion shows a banner.
import { useCallback, useEffect, useRef } from "react";
import { SERVER_EVENTS, type RecordDeletedEvent, type RecordSavedEvent } from "@/lib/realtime";
import { getSocket, watchCollection } from "@/components/realtime/connection";
import { useLimitRefresh } from "@/components/collections/limit-usage";
import { api, ApiError } from "@/components/api/client";
import { useSession } from "@/components/shell/session";
import { useLiveRecord } from "@/components/realtime/use-live-record";
import { incomingStep } from "./incoming";
import type { useRecordEditor } from "./use-record-editor";

type Editor = ReturnType<typeof useRecordEditor>;

export function useLiveEditor(recordId: string, editor: Editor) {
  const { me } = useSession();
  const user = me ? { id: me.user.id, name: me.user.name } : null;
  const known = useRef(0);
  known.current = editor.state.record?.version ?? 0;
  const { receive, deleted, access, noticeError } = editor.live;

  const catchUp = useCallback(async () => {
    try {
      const versioned = await api.record(recordId);
      receive(versioned);
    } catch (error) {
      if (error instanceof ApiError && error.status === 410) deleted("someone");
      // 404: the record is there but no longer ours to see (removed from the workspace).
      else if (error instanceof ApiError && error.status === 404) access(null);
      // Otherwise (offline again, a blip): the next event or rejoin catches up.
    }
  }, [recordId, receive, deleted, access]);

  const live = useLiveRecord(recordId, user, {
    onSaved: (event: RecordSavedEvent) => {
      const current = editor.state.record;
      const step = incomingStep(event, current?.version ?? 0);
      if (step === "ignore") return;
      // One version ahead: the event carries all that changed, so no request is needed.
      if (step === "apply" && current) {
        const values = { ...current.values, ...(event.values as typeof current.values) };
        receive({ record: { ...current, version: event.version, values, updatedAt: event.updatedAt!, updatedBy: event.by }, etag: event.etag! });
        return;
      }
      void catchUp();
    },
    onDeleted: (event: RecordDeletedEvent) => deleted(event.by.name),
    onJoined: (version, permissions) => {
      access(permissions);
      if (known.current > 0 && version > known.current) void catchUp();
    },
    onDocRejected: (event) => noticeError(event.message),
    onWatchError: (code) => {
      if (code === "not_found") void catchUp();
    },
  });

  // A collection with limits: every write in it may move a total shown beside a field here.
  const collection = editor.state.collection;
  const hasLimits = (collection?.limits?.length ?? 0) > 0;
  const { limits: setLimits } = editor.live;
  const refreshLimits = useLimitRefresh(collection, setLimits);
  const refreshRef = useRef(refreshLimits);
  refreshRef.current = refreshLimits;
  const collectionId = collection?.id;
  useEffect(() => {
    if (!hasLimits || !collectionId) return;
    const socket = getSocket();
    const onEvent = (event: { collectionId: string }) => event.collectionId === collectionId && refreshRef.current();
    const events = [SERVER_EVENTS.collectionRecordCreated, SERVER_EVENTS.collectionRecordSaved, SERVER_EVENTS.collectionRecordDeleted];
    for (const name of events) socket.on(name, onEvent);
    const stop = watchCollection(collectionId);
    return () => {
      for (const name of events) socket.off(name, onEvent);
      stop();
    };
  }, [hasLimits, collectionId]);

  // Nothing is being edited once the page goes away or the record is deleted.
  const { setEditingField } = live;
  useEffect(() => {
    if (editor.state.deletedBy) setEditingField(null);
  }, [editor.state.deletedBy, setEditingField]);

  return { ...live, me: user };
}
