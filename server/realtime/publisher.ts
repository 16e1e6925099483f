// Every write, by the UI or the HTTP API, reaches watchers from here: the use cases publish a
// RecordEvent, and this turns it into room broadcasts (through Redis when there are several processes).
import { formatEtag } from "@/lib/etag";
import { SERVER_EVENTS, type CollectionRecordEvent, type RecordDeletedEvent, type RecordSavedEvent } from "@/lib/realtime";
import type { RecordEvent, UseCaseDeps } from "@/server/usecases/deps";
import { replaceRichText, seedFromRecord } from "@/server/richtext/live-doc";
import { collectionRoom, recordRoom, type TandemServer } from "./rooms";

export function createPublisher(io: TandemServer, deps: UseCaseDeps) {
  // The broadcast goes out after the save's own response: the author is never kept waiting on it.
  return (event: RecordEvent): void =>
    void setImmediate(() => {
      try {
        broadcast(io, deps, event);
      } catch (error) {
        console.error("broadcast failed", { type: event.type, recordId: event.record.id, error });
      }
    });
}

function broadcast(io: TandemServer, deps: UseCaseDeps, event: RecordEvent): void {
  const { record, by } = event;
  const person = { id: by.id, name: by.name };
  if (event.type === "created") {
    const payload: CollectionRecordEvent = { recordId: record.id, collectionId: record.collectionId, version: record.version, changedFields: Object.keys(record.values), by: person, values: record.values };
    io.to(collectionRoom(record.collectionId)).emit(SERVER_EVENTS.collectionRecordCreated, payload);
    return;
  }
  if (event.type === "deleted") {
    const payload: RecordDeletedEvent = { recordId: record.id, collectionId: record.collectionId, version: record.version, by: person };
    io.to(recordRoom(record.id)).emit(SERVER_EVENTS.recordDeleted, payload);
    io.to(collectionRoom(record.collectionId)).emit(SERVER_EVENTS.collectionRecordDeleted, payload);
    return;
  }
  const values = Object.fromEntries(event.changedFields.map((key) => [key, record.values[key] ?? null]));
  const saved: RecordSavedEvent = {
    recordId: record.id,
    collectionId: record.collectionId,
    version: record.version,
    changedFields: event.changedFields,
    by: person,
    values,
    updatedAt: record.updatedAt,
    etag: formatEtag(record.id, record.version),
  };
  const richText = event.origin === "live" ? undefined : event.richText;
  if (richText && Object.keys(richText).length > 0) {
    // The live document takes the same change first, so editors never see the old text come back.
    void replaceRichText(deps.db, record.id, richText, seedFromRecord(deps.db, record.id))
      .then((update) => {
        if (update) io.to(recordRoom(record.id)).emit(SERVER_EVENTS.docUpdated, { recordId: record.id, update });
      })
      .catch((error: unknown) => console.error("applying an HTTP rich text write to the live document failed", { recordId: record.id, error }));
  }
  io.to(recordRoom(record.id)).emit(SERVER_EVENTS.recordSaved, saved);
  const collectionEvent: CollectionRecordEvent = { ...saved, values: record.values };
  io.to(collectionRoom(record.collectionId)).emit(SERVER_EVENTS.collectionRecordSaved, collectionEvent);
}
