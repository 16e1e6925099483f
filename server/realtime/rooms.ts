// socket.io's typed server and socket, what each connection keeps, and the room names: shared by the
// gateway and its handlers, so neither imports the other.
import type { Server, Socket } from "socket.io";
import type { Person } from "@/lib/realtime";
import type { Role } from "@/lib/types";
import type { AwarenessTracker } from "./awareness";

export type SocketData = {
  user: Person;
  /** a hash of the session token the socket signed in with */
  sessionKey: string;
  /**
   * records this socket watches, with their collection and the role seen at watch time: a hint that
   * turns a viewer away before any work, never the authority (every write checks access itself)
   */
  records: Map<string, { collectionId: string; roleHint: Role }>;
  collections: Set<string>;
  awareness: AwarenessTracker;
  tokens: number;
  refilledAt: number;
};

export type TandemSocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;
export type TandemServer = Server<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;

export const recordRoom = (id: string) => `record:${id}`;
export const collectionRoom = (id: string) => `collection:${id}`;
/** the watchers of a record who publish awareness (presence) themselves */
export const presenceRoom = (id: string) => `presence:${id}`;
/** every socket of one person, so that a change of access reaches all of them at once */
export const userRoom = (id: string) => `user:${id}`;
/** every socket opened with one session, so that a sign-out cuts exactly those */
export const sessionRoom = (key: string) => `session:${key}`;
