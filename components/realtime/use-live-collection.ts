"use client";
// Watches a collection's room and hands each created/saved/deleted event to the caller.
import { useEffect, useRef } from "react";
import { SERVER_EVENTS, type CollectionRecordEvent, type RecordDeletedEvent } from "@/lib/realtime";
import type { RowsEvent } from "@/components/collections/live-rows";
import { getSocket, onResync, watchCollection } from "./connection";
import { useConnectionState } from "./use-live-record";

export function useLiveCollection(collectionId: string, onEvent: (change: RowsEvent) => void, onRejoined: () => void) {
  const handlers = useRef({ onEvent, onRejoined });
  useEffect(() => {
    handlers.current = { onEvent, onRejoined };
  });
  const connection = useConnectionState();

  useEffect(() => {
    const socket = getSocket();
    const mine = (event: { collectionId: string }) => event.collectionId === collectionId;
    const onCreated = (event: CollectionRecordEvent) => mine(event) && handlers.current.onEvent({ kind: "created", event });
    const onSaved = (event: CollectionRecordEvent) => mine(event) && handlers.current.onEvent({ kind: "saved", event });
    const onDeleted = (event: RecordDeletedEvent) => mine(event) && handlers.current.onEvent({ kind: "deleted", event });
    socket.on(SERVER_EVENTS.collectionRecordCreated, onCreated);
    socket.on(SERVER_EVENTS.collectionRecordSaved, onSaved);
    socket.on(SERVER_EVENTS.collectionRecordDeleted, onDeleted);
    const stop = watchCollection(collectionId);
    const offResync = onResync(() => handlers.current.onRejoined());
    return () => {
      offResync();
      socket.off(SERVER_EVENTS.collectionRecordCreated, onCreated);
      socket.off(SERVER_EVENTS.collectionRecordSaved, onSaved);
      socket.off(SERVER_EVENTS.collectionRecordDeleted, onDeleted);
      stop();
    };
  }, [collectionId]);

  // Events missed while disconnected: reload the rows once the connection is back.
  const wasDown = useRef(false);
  useEffect(() => {
    if (connection === "reconnecting" || connection === "offline") wasDown.current = true;
    else if (connection === "connected" && wasDown.current) {
      wasDown.current = false;
      handlers.current.onRejoined();
    }
  }, [connection]);

  return connection;
}
