"use client";
// One socket per tab, shared by every live feature. Rooms are reference-counted here and joined
// again after every reconnect, so a dropped connection heals without a reload.
import { io, type Socket } from "socket.io-client";
import { CLIENT_EVENTS, SERVER_EVENTS, type WatchRecordAck } from "@/lib/realtime";

/** connecting: the first time; reconnecting: dropped, retrying; offline: the browser is offline or retries keep failing */
export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline";

let socket: Socket | null = null;
const recordWatches = new Map<string, Set<(ack: WatchRecordAck) => void>>();
const collectionWatches = new Map<string, number>();
const stateListeners = new Set<(state: ConnectionState) => void>();
const resyncListeners = new Set<() => void>();
let state: ConnectionState = "connecting";
let hasConnected = false;
let failedAttempts = 0;

function setState(next: ConnectionState) {
  state = next;
  for (const listener of stateListeners) listener(next);
}

export function getSocket(): Socket {
  if (socket) return socket;
  // WebSocket only: several server processes behind a load balancer need no sticky sessions.
  socket = io({ transports: ["websocket"], reconnectionDelayMax: 5000 });
  const s = socket;
  s.on("connect", () => {
    hasConnected = true;
    failedAttempts = 0;
    setState("connected");
    for (const [recordId, listeners] of recordWatches) emitWatch(recordId, listeners);
    for (const collectionId of collectionWatches.keys()) s.emit(CLIENT_EVENTS.watchCollection, { collectionId }, () => collectionJoined(collectionId));
  });
  // The server may have missed what other processes sent (Redis was away): every room is checked
  // as after a reconnect (each record's version and live text, each collection's rows).
  s.on(SERVER_EVENTS.resync, () => {
    for (const [recordId, listeners] of recordWatches) emitWatch(recordId, listeners);
    for (const listener of resyncListeners) listener();
  });
  s.on("disconnect", (reason) => {
    setState(isBrowserOffline() ? "offline" : "reconnecting");
    // The server cut us off (e.g. a flood): socket.io does not retry that by itself.
    if (reason === "io server disconnect") setTimeout(() => s.connect(), 2000);
  });
  s.on("connect_error", () => {
    failedAttempts += 1;
    setState(isBrowserOffline() || failedAttempts >= 3 ? "offline" : hasConnected ? "reconnecting" : "connecting");
  });
  if (typeof window !== "undefined") {
    window.addEventListener("offline", () => setState("offline"));
    // Back online: retry now rather than after the back-off delay.
    window.addEventListener("online", () => {
      if (!s.connected) {
        setState("reconnecting");
        s.disconnect().connect();
      }
    });
  }
  return s;
}

// The answer to the last join of each watched record, for callers that join a room already joined.
const lastJoin = new Map<string, WatchRecordAck>();

function emitWatch(recordId: string, listeners: Set<(ack: WatchRecordAck) => void>) {
  lastJoin.delete(recordId);
  getSocket()
    .timeout(10_000)
    .emit(CLIENT_EVENTS.watchRecord, { recordId }, (error: Error | null, ack: WatchRecordAck) => {
      const reply: WatchRecordAck = error ? { ok: false, error: { code: "internal", message: "The server did not answer" } } : ack;
      if (recordWatches.get(recordId) === listeners) lastJoin.set(recordId, reply);
      for (const listener of listeners) listener(reply);
    });
}

/** Joins the record's room while any caller wants it; `onJoined` runs after every (re)join with the current version. */
export function watchRecord(recordId: string, onJoined: (ack: WatchRecordAck) => void): () => void {
  const s = getSocket();
  let listeners = recordWatches.get(recordId);
  const isFirst = !listeners;
  if (!listeners) recordWatches.set(recordId, (listeners = new Set()));
  listeners.add(onJoined);
  if (s.connected) {
    // One join per record: a later caller gets the answer already had, or the one on its way.
    const joined = lastJoin.get(recordId);
    if (isFirst) emitWatch(recordId, listeners);
    else if (joined) queueMicrotask(() => onJoined(joined));
  }
  return () => {
    listeners!.delete(onJoined);
    if (listeners!.size === 0) {
      recordWatches.delete(recordId);
      lastJoin.delete(recordId);
      if (s.connected) s.emit(CLIENT_EVENTS.unwatchRecord, { recordId }, () => {});
    }
  };
}

const collectionJoinListeners = new Map<string, Set<() => void>>();

function collectionJoined(collectionId: string): void {
  for (const listener of collectionJoinListeners.get(collectionId) ?? []) listener();
}

/**
 * Called each time this page's watch of a collection is acknowledged (first join, every
 * reconnect): what happened before the join was not heard, so the page checks what it shows.
 */
export function onCollectionJoined(collectionId: string, listener: () => void): () => void {
  const listeners = collectionJoinListeners.get(collectionId) ?? new Set();
  listeners.add(listener);
  collectionJoinListeners.set(collectionId, listeners);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) collectionJoinListeners.delete(collectionId);
  };
}

export function watchCollection(collectionId: string): () => void {
  const s = getSocket();
  const count = collectionWatches.get(collectionId) ?? 0;
  collectionWatches.set(collectionId, count + 1);
  if (count === 0 && s.connected) s.emit(CLIENT_EVENTS.watchCollection, { collectionId }, () => collectionJoined(collectionId));
  else if (s.connected) queueMicrotask(() => collectionJoined(collectionId));
  return () => {
    const left = (collectionWatches.get(collectionId) ?? 1) - 1;
    if (left > 0) return void collectionWatches.set(collectionId, left);
    collectionWatches.delete(collectionId);
    if (s.connected) s.emit(CLIENT_EVENTS.unwatchCollection, { collectionId }, () => {});
  };
}

const isBrowserOffline = () => typeof navigator !== "undefined" && navigator.onLine === false;

/** Called when the server asks every page to check what it shows (see SERVER_EVENTS.resync). */
export function onResync(listener: () => void): () => void {
  resyncListeners.add(listener);
  return () => resyncListeners.delete(listener);
}

export function getConnectionState(): ConnectionState {
  return state;
}

export function onConnectionState(listener: (state: ConnectionState) => void): () => void {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}
