// Socket events between browser and server: names and payloads, in one place for both sides.
// Event names are `noun:verb`; every client → server event is answered by an ack.
import type { Permissions } from "./permissions";

export const CLIENT_EVENTS = {
  watchRecord: "record:watch",
  unwatchRecord: "record:unwatch",
  watchCollection: "collection:watch",
  unwatchCollection: "collection:unwatch",
  /** Yjs sync step 1: the client's state vector; the ack carries what it misses */
  syncDoc: "doc:sync",
  /** a Yjs update made by this client */
  updateDoc: "doc:update",
  /** a y-protocols awareness update (presence, caret, which field is being edited) */
  updateAwareness: "awareness:update",
} as const;

export const SERVER_EVENTS = {
  recordSaved: "record:saved",
  recordDeleted: "record:deleted",
  collectionRecordCreated: "collection:created",
  collectionRecordSaved: "collection:saved",
  collectionRecordDeleted: "collection:deleted",
  docUpdated: "doc:update",
  /** a field's live text could not be checkpointed (over its limit, unreadable): say so on the page */
  docRejected: "doc:rejected",
  awarenessUpdated: "awareness:update",
  /** someone joined: send your full awareness state again */
  awarenessQuery: "awareness:query",
} as const;

export type Person = { id: string; name: string };

export type SocketErrorCode = "invalid" | "not_found" | "forbidden" | "unauthenticated" | "too_many" | "too_large" | "internal";
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: { code: SocketErrorCode; message: string } };

export type WatchRecordPayload = { recordId: string };
export type WatchRecordAck = Ack<{ version: number; role: "owner" | "editor" | "viewer"; permissions: Permissions }>;
export type WatchCollectionPayload = { collectionId: string };

export type RecordSavedEvent = {
  recordId: string;
  collectionId: string;
  version: number;
  changedFields: string[];
  by: Person;
  /** the new values of the changed fields, the save's time and the new version token: a watcher one
   * version behind applies them without fetching the record again */
  values?: Record<string, unknown>;
  updatedAt?: string;
  etag?: string;
};
export type RecordDeletedEvent = { recordId: string; collectionId: string; version: number; by: Person };
export type CollectionRecordEvent = RecordSavedEvent & { values?: Record<string, unknown> };

export type SyncDocPayload = { recordId: string; stateVector: Uint8Array };
export type SyncDocAck = Ack<{ update: Uint8Array; stateVector: Uint8Array }>;
export type UpdateDocPayload = { recordId: string; update: Uint8Array };
export type AwarenessPayload = { recordId: string; update: Uint8Array };
export type DocRejectedEvent = { recordId: string; field: string; message: string };

/** What each person publishes in awareness: who they are, and which field they are in. */
export type PresenceState = { user: Person & { color: string }; field: string | null };

/**
 * A peer's awareness state as something safe to render, or null. The server stamps identity and
 * shape, but a page renders what arrives defensively anyway: a malformed state shows no one
 * rather than breaking the page.
 */
export function readPresence(state: unknown): PresenceState | null {
  if (typeof state !== "object" || state === null) return null;
  const { user, field } = state as Record<string, unknown>;
  if (typeof user !== "object" || user === null) return null;
  const { id, name, color } = user as Record<string, unknown>;
  if (typeof id !== "string" || typeof name !== "string" || id === "" || name.length > 200) return null;
  const safeColor = typeof color === "string" && /^#[0-9a-f]{6}$/i.test(color) ? color : colorFor(id);
  return { user: { id, name, color: safeColor }, field: typeof field === "string" ? field : null };
}

/** Limits the server enforces per connection. */
export const SOCKET_LIMITS = {
  maxMessageBytes: 1_000_000,
  maxWatchedRooms: 200,
  /** token bucket: sustained messages per second, and burst */
  messagesPerSecond: 100,
  burst: 300,
} as const;

const COLORS = ["#e11d48", "#2563eb", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4f46e5"];

/** A stable colour per person, the same in every tab. */
export function colorFor(userId: string): string {
  let hash = 0;
  for (const ch of userId) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  return COLORS[Math.abs(hash) % COLORS.length]!;
}
