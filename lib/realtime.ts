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
  /** the server may have missed messages from other processes (Redis was away): check every room as after a reconnect */
  resync: "realtime:resync",
  /** a collection's fields changed (a new schema version): pages re-read the collection, keeping drafts */
  collectionSchemaChanged: "collection:schema",
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
export type CollectionSchemaEvent = { collectionId: string; version: number; by: Person };
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

/**
 * Presence colours (SPEC C1–C3): dark enough for white name tags (WCAG AA, 4.5:1) and far apart
 * in hue, so that two people in one room never look alike.
 */
export const PRESENCE_COLORS = [
  "#be123c", // rose
  "#1d4ed8", // blue
  "#15803d", // green
  "#b45309", // amber
  "#7e22ce", // purple
  "#0e7490", // cyan
  "#a21caf", // fuchsia
  "#c2410c", // orange
  "#4338ca", // indigo
  "#0f766e", // teal
  "#9f1239", // crimson
  "#475569", // slate
] as const;

function slotOf(userId: string): number {
  // FNV-1a: spreads short, similar ids (user-1, user-2) over the palette.
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) hash = Math.imul(hash ^ userId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % PRESENCE_COLORS.length;
}

/** C1: a person's own colour, the same in every tab, before anyone else is in the room. */
export function colorFor(userId: string): string {
  return PRESENCE_COLORS[slotOf(userId)]!;
}

/**
 * C2: distinct colours for the people in one room: each keeps their own colour (C1) unless
 * someone earlier in id order has it, then takes the next free one. The same set of ids gives the
 * same colours in every browser, whatever order they arrived in. C3: with more people than
 * colours, colours repeat only after every one is used.
 */
export function assignColors(userIds: Iterable<string>): Map<string, string> {
  const ids = [...new Set(userIds)].sort();
  const taken = new Map<number, number>();
  const out = new Map<string, string>();
  for (const id of ids) {
    const round = Math.floor(out.size / PRESENCE_COLORS.length);
    let slot = slotOf(id);
    while ((taken.get(slot) ?? 0) > round) slot = (slot + 1) % PRESENCE_COLORS.length;
    taken.set(slot, (taken.get(slot) ?? 0) + 1);
    out.set(id, PRESENCE_COLORS[slot]!);
  }
  return out;
}
