// Yjs sync and awareness relayed over socket.io (the y-protocols messages, one event each).
// An update is stored before it is relayed, so anyone who syncs after seeing it also loads it.
import * as Y from "yjs";
import { z } from "zod";
import { SERVER_EVENTS } from "@/lib/realtime";
import { AppError, forbidden } from "@/server/errors";
import type { UseCaseDeps } from "@/server/usecases/deps";
import { readAwarenessUpdate } from "./awareness";
import type { Checkpoints } from "./checkpoints";
import { appendUpdate, loadDocUpdate, seedFromRecord } from "./doc-store";
import { presenceRoom, recordRoom, type TandemServer, type TandemSocket } from "./gateway";

const Bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, "must be binary (Uint8Array)");
const SyncPayload = z.object({ recordId: z.uuid(), stateVector: Bytes }).strict();
const UpdatePayload = z.object({ recordId: z.uuid(), update: Bytes }).strict();

function watched(socket: TandemSocket, recordId: string) {
  const entry = socket.data.records.get(recordId);
  if (!entry) throw new AppError("invalid", "Watch the record (record:watch) before syncing it");
  return entry;
}

export function createDocHandlers(io: TandemServer, getDeps: () => UseCaseDeps, checkpoints: Checkpoints) {
  return {
    async syncDoc(socket: TandemSocket, payload: unknown) {
      const { recordId, stateVector } = SyncPayload.parse(payload);
      watched(socket, recordId);
      const deps = getDeps();
      const full = await loadDocUpdate(deps.db, recordId, seedFromRecord(deps.db, recordId));
      let update: Uint8Array;
      try {
        update = Y.diffUpdate(full, stateVector);
      } catch {
        throw new AppError("invalid", "stateVector is not a Yjs state vector");
      }
      return { update, stateVector: Y.encodeStateVectorFromUpdate(full) };
    },

    async updateDoc(socket: TandemSocket, payload: unknown) {
      const { recordId, update } = UpdatePayload.parse(payload);
      if (watched(socket, recordId).role === "viewer") throw forbidden("Viewers cannot edit this record");
      try {
        Y.decodeUpdate(update);
      } catch {
        throw new AppError("invalid", "update is not a Yjs update");
      }
      await appendUpdate(getDeps().db, recordId, update);
      socket.to(recordRoom(recordId)).emit(SERVER_EVENTS.docUpdated, { recordId, update });
      checkpoints.touch(recordId, socket.data.user);
      return {};
    },

    async updateAwareness(socket: TandemSocket, payload: unknown) {
      const { recordId, update } = UpdatePayload.parse(payload);
      watched(socket, recordId);
      let entries;
      try {
        entries = readAwarenessUpdate(update);
      } catch {
        throw new AppError("invalid", "update is not an awareness update");
      }
      socket.data.awareness.record(recordId, entries);
      if (!socket.rooms.has(presenceRoom(recordId))) await socket.join(presenceRoom(recordId));
      socket.to(recordRoom(recordId)).emit(SERVER_EVENTS.awarenessUpdated, { recordId, update });
      return {};
    },
  };
}
