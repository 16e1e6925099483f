// Awareness (presence) as the server relays it: stamped with the socket's own identity and checked
// for shape, and which client ids a socket has announced, so that its presence can be removed from
// every room the moment it disconnects instead of after the 30 s awareness timeout.
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { z } from "zod";
import { colorFor, PRESENCE_COLORS, type Person, type PresenceState } from "@/lib/realtime";

export type AwarenessEntry = { clientId: number; clock: number; isRemoval: boolean };

type RawEntry = { clientId: number; clock: number; state: unknown };

function decodeEntries(update: Uint8Array): RawEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count > MAX_ENTRIES) throw new Error("too many awareness entries");
  const entries: RawEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state: unknown = JSON.parse(decoding.readVarString(decoder));
    entries.push({ clientId, clock, state });
  }
  if (decoding.hasContent(decoder)) throw new Error("trailing bytes after the awareness entries");
  return entries;
}

const MAX_ENTRIES = 16;

/** Reads a y-protocols awareness update; throws on malformed input. */
export function readAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  return decodeEntries(update).map(({ clientId, clock, state }) => ({ clientId, clock, isRemoval: state === null }));
}

const Id = z.strictObject({ client: z.number().int().nonnegative(), clock: z.number().int().nonnegative() });
// Y.RelativePosition as JSON.stringify writes it (absent parts are null).
const RelativePosition = z
  .strictObject({
    type: Id.nullish(),
    tname: z.string().max(100).nullish(),
    item: Id.nullish(),
    assoc: z.number().int().min(-1).max(1).nullish(),
  })
  .nullable();
const Cursor = z.strictObject({ anchor: RelativePosition, head: RelativePosition }).nullable();

/**
 * The awareness update as it may be relayed: each state keeps only what presence needs, the
 * person is the socket's own (never what the client claims), the colour is theirs, and the field
 * is one the record has. Throws on anything that is not an awareness update at all.
 */
export function stampAwarenessUpdate(update: Uint8Array, person: Person, fieldKeys: ReadonlySet<string>): { update: Uint8Array; entries: AwarenessEntry[] } {
  const entries = decodeEntries(update);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, JSON.stringify(state === null ? null : stampState(state, person, fieldKeys)));
  }
  return { update: encoding.toUint8Array(encoder), entries: entries.map(({ clientId, clock, state }) => ({ clientId, clock, isRemoval: state === null })) };
}

function stampState(state: unknown, person: Person, fieldKeys: ReadonlySet<string>): PresenceState & { cursor?: unknown } {
  const claimed = typeof state === "object" && state !== null ? (state as Record<string, unknown>) : {};
  const field = typeof claimed.field === "string" && fieldKeys.has(claimed.field) ? claimed.field : null;
  const cursor = Cursor.safeParse(claimed.cursor);
  // The colour is the client's pick among the presence palette (lib/realtime C2: distinct per
  // room, computed alike in every browser), else the person's own.
  const claimedColor = typeof claimed.user === "object" && claimed.user !== null ? (claimed.user as Record<string, unknown>).color : undefined;
  const color = typeof claimedColor === "string" && (PRESENCE_COLORS as readonly string[]).includes(claimedColor) ? claimedColor : colorFor(person.id);
  return {
    user: { id: person.id, name: person.name, color },
    field,
    ...(cursor.success && cursor.data ? { cursor: cursor.data } : {}),
  };
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
