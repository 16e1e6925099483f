"use client";
// A page showing a collection's records follows its schema: when an owner changes the fields
// (collection:schema on the collection's room), the collection is read again and handed over, so
// the page re-renders with the new fields; what the user typed stays where it is (drafts are kept
// by field key, and a removed field's value stays in the record).
import { useEffect, useRef } from "react";
import { api } from "@/components/api/client";
import { getSocket, onCollectionJoined, onResync, watchCollection } from "@/components/realtime/connection";
import { SERVER_EVENTS, type CollectionSchemaEvent } from "@/lib/realtime";
import type { CollectionDto } from "@/lib/types";

export function useSchemaUpdates(collectionId: string | null | undefined, version: number | undefined, onSchema: (collection: CollectionDto) => void): void {
  const handler = useRef(onSchema);
  const known = useRef(version ?? 0);
  useEffect(() => {
    handler.current = onSchema;
    known.current = version ?? 0;
  });
  useEffect(() => {
    if (!collectionId) return;
    const socket = getSocket();
    const check = () =>
      api.collection(collectionId).then(
        (collection) => collection.version > known.current && handler.current(collection),
        () => {},
      );
    const onEvent = (event: CollectionSchemaEvent) => {
      if (event.collectionId === collectionId && event.version > known.current) void check();
    };
    socket.on(SERVER_EVENTS.collectionSchemaChanged as never, onEvent as never);
    // A change made before the room was joined (or while disconnected) was not heard: check on every join.
    const stopJoined = onCollectionJoined(collectionId, () => void check());
    const stopResync = onResync(() => void check());
    const stop = watchCollection(collectionId);
    return () => {
      socket.off(SERVER_EVENTS.collectionSchemaChanged as never, onEvent as never);
      stopJoined();
      stopResync();
      stop();
    };
  }, [collectionId]);
}
