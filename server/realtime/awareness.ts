// Which awareness client ids a socket has announced, so that its presence can be removed from
// every room the moment it disconnects instead of after the 30 s awareness timeout.
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

export type AwarenessEntry = { clientId: number; clock: number; isRemoval: boolean };

/** Reads a y-protocols awareness update; throws on malformed input. */
export function readAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count > 1000) throw new Error("too many awareness entries");
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state = decoding.readVarString(decoder);
    JSON.parse(state);
    entries.push({ clientId, clock, isRemoval: state === "null" });
  }
  return entries;
}

/** An awareness update that marks these clients as gone. */
export function encodeAwarenessRemoval(clients: { clientId: number; clock: number }[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, clients.length);
  for (const { clientId, clock } of clients) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock + 1);
    encoding.writeVarString(encoder, "null");
  }
  return encoding.toUint8Array(encoder);
}

/** Per socket: room → client id → last clock seen. */
export class AwarenessTracker {
  private rooms = new Map<string, Map<number, number>>();

  record(recordId: string, entries: AwarenessEntry[]): void {
    let clients = this.rooms.get(recordId);
    if (!clients) this.rooms.set(recordId, (clients = new Map()));
    for (const entry of entries) {
      if (entry.isRemoval) clients.delete(entry.clientId);
      else clients.set(entry.clientId, entry.clock);
    }
    if (clients.size > 16) throw new Error("too many awareness clients on one connection");
  }

  /** The removal update for a room this socket leaves, or null when it announced nobody there. */
  takeRemoval(recordId: string): Uint8Array | null {
    const clients = this.rooms.get(recordId);
    this.rooms.delete(recordId);
    if (!clients || clients.size === 0) return null;
    return encodeAwarenessRemoval([...clients].map(([clientId, clock]) => ({ clientId, clock })));
  }
}
