// Yjs sync and awareness relayed over socket.io (the y-protocols messages, one event each).
// An update is stored before it is relayed, so anyone who syncs after seeing it also loads it.
// Every update is authorised as it is stored: a demoted or removed member cannot write.
import * as Y from "yjs";
import { z } from "zod";
import { SERVER_EVENTS } from "@/lib/realtime";
import { can, rolesFor } from "@/lib/permissions";
import { AppError, archived, forbidden, gone, notFound } from "@/server/errors";
import type { UseCaseDeps } from "@/server/usecases/deps";
import { appendUpdate, loadDocUpdate, seedFromRecord } from "@/server/richtext/live-doc";
import type { LiveDocs } from "@/server/richtext/live-docs";
import { stampAwarenessUpdate } from "./awareness";
import type { Checkpoints } from "./checkpoints";
import { presenceRoom, recordRoom, type TandemSocket } from "./rooms";

const Bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, "must be binary (Uint8Array)");
const SyncPayload = z.object({ recordId: z.uuid(), stateVector: Bytes }).strict();
const UpdatePayload = z.object({ recordId: z.uuid(), update: Bytes }).strict();

function assertWatched(socket: TandemSocket, recordId: string) {
  const watched = socket.data.records.get(recordId);
  if (!watched) throw new AppError("invalid", "Watch the record (record:watch) before syncing it");
  return watched;
}

export function createDocHandlers(deps: UseCaseDeps, checkpoints: Checkpoints, liveDocs: LiveDocs) {
  /** Why an update was not stored: the record is gone, or the user may no longer edit it. */
  const explainRefusal = async (socket: TandemSocket, recordId: string) => {
    const access = await deps.store.access(recordId, socket.data.user.id);
    if (!access || !access.role) return notFound();
    if (access.record.deletedAt) return gone(access.record);
    if (!can(access.role, "doc.edit")) return forbidden("Viewers cannot edit this record");
    if (access.isArchived) return archived();
    return new AppError("internal", "The update could not be stored");
  };

  return {
    async syncDoc(socket: TandemSocket, payload: unknown) {
      const { recordId, stateVector } = SyncPayload.parse(payload);
      assertWatched(socket, recordId);
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
      const watched = assertWatched(socket, recordId);
      // The role seen at watch time turns a viewer away before any work; the write below checks it for real.
      if (!can(watched.roleHint, "doc.edit")) throw forbidden("Viewers cannot edit this record");
      try {
        Y.decodeUpdate(update);
      } catch {
        throw new AppError("invalid", "update is not a Yjs update");
      }
      const shape = await deps.store.shape(recordId);
      if (!shape) throw notFound();
      await liveDocs.serially(recordId, async () => {
        const check = await liveDocs.check(recordId, shape.fields, update);
        if (!check.ok) throw new AppError(check.code === "too_large" ? "payload_too_large" : "invalid", check.message);
        const isStored = await appendUpdate(deps.db, recordId, update, { userId: socket.data.user.id, roles: rolesFor("doc.edit") });
        if (!isStored) {
          liveDocs.forget(recordId);
          throw await explainRefusal(socket, recordId);
        }
        socket.to(recordRoom(recordId)).emit(SERVER_EVENTS.docUpdated, { recordId, update });
        deps.observe?.yjsUpdateRelayed();
      });
      checkpoints.touch(recordId, socket.data.user);
      return {};
    },

    async updateAwareness(socket: TandemSocket, payload: unknown) {
      const { recordId, update } = UpdatePayload.parse(payload);
      assertWatched(socket, recordId);
      const shape = await deps.store.shape(recordId);
      if (!shape) throw notFound();
      let stamped;
      try {
        stamped = stampAwarenessUpdate(update, socket.data.user, new Set(shape.fields.map((f) => f.key)));
      } catch {
        throw new AppError("invalid", "update is not an awareness update");
      }
      socket.data.awareness.record(recordId, stamped.entries);
      if (!socket.rooms.has(presenceRoom(recordId))) await socket.join(presenceRoom(recordId));
      socket.to(recordRoom(recordId)).emit(SERVER_EVENTS.awarenessUpdated, { recordId, update: stamped.update });
      return {};
    },
  };
}
