// Every committed write reaches watchers from here. The events come from the outbox (every process
// follows it and tells its own sockets, so a watcher hears each version once, from the process it
// is connected to, whatever happened to Redis or to the process that wrote it); rich text written
// through a form or the API is applied to the live document by the process that wrote it.
import { formatEtag } from "@/lib/etag";
import { SERVER_EVENTS, type CollectionRecordEvent, type CollectionSchemaEvent, type RecordDeletedEvent, type RecordSavedEvent } from "@/lib/realtime";
import type { OutboxEvent } from "@/server/outbox/read";
import type { RecordEvent, SchemaEvent, UseCaseDeps } from "@/server/usecases/deps";
import { replaceRichText, seedFromRecord } from "@/server/richtext/live-doc";
import { collectionRoom, recordRoom, type TandemServer } from "./rooms";

export function createOutboxPublisher(io: TandemServer) {
  return (events: OutboxEvent[]): void => {
    for (const event of events) {
      try {
        emitEvent(io, event);
      } catch (error) {
        console.error("broadcast failed", { seq: event.seq.toString(), recordId: event.recordId, error });
      }
    }
  };
}

/** The socket events of one committed version (the same payloads as before the outbox). */
export function socketEventsOf(event: OutboxEvent): { room: "record" | "collection"; name: string; payload: object }[] {
  const { recordId, collectionId, version, author: by } = event;
  if (event.kind === "create" || event.kind === "undelete") {
    const payload: CollectionRecordEvent = { recordId, collectionId, version, changedFields: Object.keys(event.snapshot), by, values: event.snapshot };
    return [{ room: "collection", name: SERVER_EVENTS.collectionRecordCreated, payload }];
  }
  if (event.kind === "delete") {
    const payload: RecordDeletedEvent = { recordId, collectionId, version, by };
    return [
      { room: "record", name: SERVER_EVENTS.recordDeleted, payload },
      { room: "collection", name: SERVER_EVENTS.collectionRecordDeleted, payload },
    ];
  }
  const changedFields = Object.keys(event.changes);
  const saved: RecordSavedEvent = {
    recordId,
    collectionId,
    version,
    changedFields,
    by,
    values: Object.fromEntries(changedFields.map((key) => [key, event.snapshot[key] ?? null])),
    updatedAt: event.createdAt,
    etag: formatEtag(recordId, version),
  };
  const collectionEvent: CollectionRecordEvent = { ...saved, values: event.snapshot };
  return [
    { room: "record", name: SERVER_EVENTS.recordSaved, payload: saved },
    { room: "collection", name: SERVER_EVENTS.collectionRecordSaved, payload: collectionEvent },
  ];
}

function emitEvent(io: TandemServer, event: OutboxEvent): void {
  const rooms = io.sockets.adapter.rooms;
  const targets = { record: recordRoom(event.recordId), collection: collectionRoom(event.collectionId) };
  // This process's sockets only: every other process follows the outbox itself. A room nobody
  // here is in is skipped before its payload is built or its packet encoded.
  if (!rooms.has(targets.record) && !rooms.has(targets.collection)) return;
  for (const { room, name, payload } of socketEventsOf(event)) {
    if (rooms.has(targets[room])) (io.local.to(targets[room]).emit as (name: string, payload: object) => boolean)(name, payload);
  }
}

/**
 * Rich text set through a form or the API goes into the live document too, so editors never see
 * the old text come back; its Yjs update reaches the room like any typed one.
 */
export function createRichTextApplier(io: TandemServer, deps: UseCaseDeps) {
  return (event: RecordEvent): void => {
    if (event.type !== "saved" || event.origin === "live" || !event.richText || Object.keys(event.richText).length === 0) return;
    const { record } = event;
    void replaceRichText(deps.db, record.id, event.richText, seedFromRecord(deps.db, record.id))
      .then((update) => {
        if (update) io.to(recordRoom(record.id)).emit(SERVER_EVENTS.docUpdated, { recordId: record.id, update });
      })
      .catch((error: unknown) => console.error("applying an HTTP rich text write to the live document failed", { recordId: record.id, error }));
  };
}

/**
 * A schema change reaches the collection's room: every process hears it from PostgreSQL (NOTIFY at
 * commit) and tells its own sockets; list pages and record pages (which watch their collection
 * too) re-read the fields.
 */
export function createSchemaPublisher(io: TandemServer) {
  return (event: SchemaEvent): void => {
    const payload: CollectionSchemaEvent = { collectionId: event.collectionId, version: event.version, by: event.by };
    (io.local.to(collectionRoom(event.collectionId)).emit as (name: string, payload: object) => boolean)(SERVER_EVENTS.collectionSchemaChanged, payload);
  };
}
