// record:watch / collection:watch: join a room the user may read. Reading is checked at watch;
// every write over the socket checks access again (doc-handlers.ts), and a change of access
// reaches open sockets through the access listener.
import { z } from "zod";
import { SERVER_EVENTS, SOCKET_LIMITS } from "@/lib/realtime";
import { can, permissionsOf } from "@/lib/permissions";
import { AppError, notFound } from "@/server/errors";
import { findCollectionForUser } from "@/server/persistence/collections-repo";
import type { UseCaseDeps } from "@/server/usecases/deps";
import { collectionRoom, presenceRoom, recordRoom, type TandemSocket } from "./rooms";

const RecordPayload = z.object({ recordId: z.uuid() }).strict();
const CollectionPayload = z.object({ collectionId: z.uuid() }).strict();

/** Called when a socket leaves a record's room: pending rich text is checkpointed. */
export type RoomLeft = (recordId: string) => Promise<void>;

export function createWatchHandlers(deps: UseCaseDeps, onRoomLeft: RoomLeft = async () => {}) {
  const ensureCapacity = (socket: TandemSocket) => {
    if (socket.data.records.size + socket.data.collections.size >= SOCKET_LIMITS.maxWatchedRooms) {
      throw new AppError("invalid", `A connection may watch at most ${SOCKET_LIMITS.maxWatchedRooms} rooms`);
    }
  };

  const leaveRecord = (socket: TandemSocket, recordId: string) => {
    const removal = socket.data.awareness.takeRemoval(recordId);
    if (removal) socket.to(recordRoom(recordId)).emit(SERVER_EVENTS.awarenessUpdated, { recordId, update: removal });
    socket.data.records.delete(recordId);
    void socket.leave(recordRoom(recordId));
    void socket.leave(presenceRoom(recordId));
    return onRoomLeft(recordId);
  };

  return {
    async watchRecord(socket: TandemSocket, payload: unknown) {
      const { recordId } = RecordPayload.parse(payload);
      const found = await deps.store.access(recordId, socket.data.user.id);
      if (!found || !can(found.role, "record.read") || found.record.deletedAt) throw notFound();
      if (!socket.data.records.has(recordId)) ensureCapacity(socket);
      socket.data.records.set(recordId, { collectionId: found.record.collectionId, roleHint: found.role! });
      await socket.join(recordRoom(recordId));
      // Ask those already here who publish presence to announce themselves, so it shows at once.
      // Only they are asked: a room of silent watchers costs nothing per join.
      socket.to(presenceRoom(recordId)).emit(SERVER_EVENTS.awarenessQuery, { recordId });
      return { version: found.record.version, role: found.role, permissions: permissionsOf(found.role, { isArchived: found.isArchived }) };
    },

    async unwatchRecord(socket: TandemSocket, payload: unknown) {
      const { recordId } = RecordPayload.parse(payload);
      // The ack waits for the checkpoint of what this socket typed, so a client that leaves knows it is kept.
      if (socket.data.records.has(recordId)) await leaveRecord(socket, recordId);
      return {};
    },

    async watchCollection(socket: TandemSocket, payload: unknown) {
      const { collectionId } = CollectionPayload.parse(payload);
      const found = await findCollectionForUser(deps.db, collectionId, socket.data.user.id);
      if (!found) throw notFound("Collection");
      if (!socket.data.collections.has(collectionId)) ensureCapacity(socket);
      socket.data.collections.add(collectionId);
      await socket.join(collectionRoom(collectionId));
      return {};
    },

    async unwatchCollection(socket: TandemSocket, payload: unknown) {
      const { collectionId } = CollectionPayload.parse(payload);
      socket.data.collections.delete(collectionId);
      await socket.leave(collectionRoom(collectionId));
      return {};
    },

    leaveRecord,

    leaveAll(socket: TandemSocket) {
      for (const recordId of [...socket.data.records.keys()]) void leaveRecord(socket, recordId);
    },
  };
}
