"use client";
// One socket per tab, shared by every live feature. Rooms are reference-counted here and joined
// again after every reconnect, so a dropped connection heals without a reload.
import { io, type Socket } from "socket.io-client";
import { CLIENT_EVENTS, type WatchRecordAck } from "@/lib/realtime";

export type ConnectionState = "connecting" | "connected" | "offline";

let socket: Socket | null = null;
const recordWatches = new Map<string, Set<(ack: WatchRecordAck) => void>>();
const collectionWatches = new Map<string, number>();
const stateListeners = new Set<(state: ConnectionState) => void>();
let state: ConnectionState = "connecting";

function setState(next: ConnectionState) {
  state = next;
  for (const listener of stateListeners) listener(next);
}

export function getSocket(): Socket {
  if (socket) return socket;
  // WebSocket only: several server processes behind a load balancer need no sticky sessions.
  socket = io({ transports: ["websocket"], reconnectionDelayMax: 5000 });
  socket.on("connect", () => {
    setState("connected");
    for (const [recordId, listeners] of recordWatches) emitWatch(recordId, listeners);
    for (const collectionId of collectionWatches.keys()) socket!.emit(CLIENT_EVENTS.watchCollection, { collectionId }, () => {});
  });
  socket.on("disconnect", () => setState("offline"));
  socket.on("connect_error", () => setState("offline"));
  socket.io.on("reconnect_attempt", () => setState("connecting"));
  return socket;
}

function emitWatch(recordId: string, listeners: Set<(ack: WatchRecordAck) => void>) {
  getSocket().timeout(10_000).emit(CLIENT_EVENTS.watchRecord, { recordId }, (error: Error | null, ack: WatchRecordAck) => {
    const reply: WatchRecordAck = error ? { ok: false, error: { code: "internal", message: "The server did not answer" } } : ack;
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
    if (isFirst) emitWatch(recordId, listeners);
    else emitWatch(recordId, new Set([onJoined]));
  }
  return () => {
    listeners!.delete(onJoined);
    if (listeners!.size === 0) {
      recordWatches.delete(recordId);
      if (s.connected) s.emit(CLIENT_EVENTS.unwatchRecord, { recordId }, () => {});
    }
  };
}

export function watchCollection(collectionId: string): () => void {
  const s = getSocket();
  const count = collectionWatches.get(collectionId) ?? 0;
  collectionWatches.set(collectionId, count + 1);
  if (count === 0 && s.connected) s.emit(CLIENT_EVENTS.watchCollection, { collectionId }, () => {});
  return () => {
    const left = (collectionWatches.get(collectionId) ?? 1) - 1;
    if (left > 0) return void collectionWatches.set(collectionId, left);
    collectionWatches.delete(collectionId);
    if (s.connected) s.emit(CLIENT_EVENTS.unwatchCollection, { collectionId }, () => {});
  };
}

export function getConnectionState(): ConnectionState {
  return state;
}

export function onConnectionState(listener: (state: ConnectionState) => void): () => void {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}
