"use client";
// The record's Y.Doc and awareness over socket.io: y-protocols sync (state vectors both ways)
// and awareness relay. Edits made while offline stay in the doc and are sent on the next sync.
import type { Socket } from "socket.io-client";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { CLIENT_EVENTS, SERVER_EVENTS, type Ack, type SyncDocAck } from "@/lib/realtime";
import { watchRecord } from "./connection";

export type DocStatus = "connecting" | "synced" | "offline" | "error";

const toBytes = (value: unknown) => new Uint8Array(value as ArrayBuffer);

export class SocketYjsProvider {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  private status: DocStatus = "connecting";
  error: string | null = null;
  private listeners = new Set<(status: DocStatus) => void>();
  private isSynced = false;
  private isDestroyed = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** the doc was loaded from the server at least once: offline from here on still shows real text */
  hasLoaded = false;
  private stopWatching: () => void;

  constructor(
    private readonly socket: Socket,
    readonly recordId: string,
  ) {
    this.doc.on("update", this.onLocalUpdate);
    this.awareness.on("update", this.onLocalAwareness);
    socket.on(SERVER_EVENTS.docUpdated, this.onRemoteUpdate);
    socket.on(SERVER_EVENTS.awarenessUpdated, this.onRemoteAwareness);
    socket.on(SERVER_EVENTS.awarenessQuery, this.onAwarenessQuery);
    socket.on("disconnect", this.onDisconnect);
    this.stopWatching = watchRecord(recordId, (ack) => (ack.ok ? void this.sync() : this.fail(ack.error.message)));
  }

  onStatus(listener: (status: DocStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setStatus(status: DocStatus) {
    this.status = status;
    for (const listener of this.listeners) listener(status);
  }

  private fail(message: string) {
    // A document that failed to load stays unloaded: never shown as empty, never sent back.
    this.error = message;
    this.setStatus("error");
  }

  private async sync(attempt = 0) {
    this.isSynced = false;
    clearTimeout(this.retryTimer);
    const reply = (await this.socket
      .timeout(10_000)
      .emitWithAck(CLIENT_EVENTS.syncDoc, { recordId: this.recordId, stateVector: Y.encodeStateVector(this.doc) })
      .catch(() => ({ ok: false, error: { code: "internal", message: "The server did not answer" } }))) as SyncDocAck;
    if (this.isDestroyed) return;
    if (!reply.ok) {
      // A transient failure is retried; until a load succeeds the editor shows the error, never an empty doc.
      if (reply.error.code === "internal" && attempt < 5) this.retryTimer = setTimeout(() => void this.sync(attempt + 1), 1000 * 2 ** attempt);
      return this.fail(reply.error.message);
    }
    Y.applyUpdate(this.doc, toBytes(reply.update), this);
    // Whatever we have that the server lacks (offline edits) goes up now. Synced from here on, so
    // edits made while that is in flight are sent too (socket.io keeps the order).
    const missing = Y.encodeStateAsUpdate(this.doc, toBytes(reply.stateVector));
    this.isSynced = true;
    this.hasLoaded = true;
    this.error = null;
    this.setStatus("synced");
    if (missing.length > 2) void this.send(missing);
    this.announce();
  }

  private async send(update: Uint8Array) {
    const ack = (await this.socket
      .timeout(10_000)
      .emitWithAck(CLIENT_EVENTS.updateDoc, { recordId: this.recordId, update })
      .catch(() => null)) as Ack | null;
    if (this.isDestroyed) return;
    if (ack && !ack.ok) this.fail(ack.error.message);
    // No answer: the server may lack this update; a fresh sync by state vector sends whatever it misses.
    else if (!ack && this.socket.connected && this.isSynced) void this.sync();
  }

  private onLocalUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this || !this.isSynced || !this.socket.connected) return;
    void this.send(update);
  };

  private onRemoteUpdate = (payload: { recordId: string; update: ArrayBuffer }) => {
    // Applied even before the first sync answers: Yjs updates commute, so none is lost in between.
    if (payload.recordId === this.recordId && !this.isDestroyed) Y.applyUpdate(this.doc, toBytes(payload.update), this);
  };

  private onLocalAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    if (origin === this || !this.socket.connected) return;
    const changed = [...added, ...updated, ...removed];
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
    this.socket.emit(CLIENT_EVENTS.updateAwareness, { recordId: this.recordId, update }, () => {});
  };

  private onRemoteAwareness = (payload: { recordId: string; update: ArrayBuffer }) => {
    if (payload.recordId === this.recordId) awarenessProtocol.applyAwarenessUpdate(this.awareness, toBytes(payload.update), this);
  };

  private onAwarenessQuery = (payload: { recordId: string }) => {
    if (payload.recordId === this.recordId) this.announce();
  };

  private announce() {
    if (!this.socket.connected || !this.awareness.getLocalState()) return;
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]);
    this.socket.emit(CLIENT_EVENTS.updateAwareness, { recordId: this.recordId, update }, () => {});
  }

  private onDisconnect = () => {
    this.isSynced = false;
    if (this.status !== "error") this.setStatus("offline");
    // Others' presence is unknown while we are away; they announce themselves again on rejoin.
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
    awarenessProtocol.removeAwarenessStates(this.awareness, others, this);
  };

  destroy() {
    this.isDestroyed = true;
    clearTimeout(this.retryTimer);
    awarenessProtocol.removeAwarenessStates(this.awareness, [this.doc.clientID], "local");
    this.stopWatching();
    this.socket.off(SERVER_EVENTS.docUpdated, this.onRemoteUpdate);
    this.socket.off(SERVER_EVENTS.awarenessUpdated, this.onRemoteAwareness);
    this.socket.off(SERVER_EVENTS.awarenessQuery, this.onAwarenessQuery);
    this.socket.off("disconnect", this.onDisconnect);
    this.awareness.destroy();
    this.doc.destroy();
  }
}
