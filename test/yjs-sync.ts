// A minimal Yjs peer over socket.io, as the browser provider does it: sync step 1/2, then live updates.
import type { Socket } from "socket.io-client";
import * as Y from "yjs";
import { CLIENT_EVENTS, SERVER_EVENTS, type SyncDocAck } from "@/lib/realtime";
import { emitAck } from "./socket-client";

export type YjsPeer = { doc: Y.Doc; text: () => string; type: (field: string, text: string) => Promise<void> };

export async function joinDoc(socket: Socket, recordId: string): Promise<YjsPeer> {
  const doc = new Y.Doc();
  const watch = await emitAck(socket, CLIENT_EVENTS.watchRecord, { recordId });
  if (!watch.ok) throw new Error(`watch failed: ${JSON.stringify(watch)}`);
  socket.on(SERVER_EVENTS.docUpdated, (payload: { recordId: string; update: ArrayBuffer }) => {
    if (payload.recordId === recordId) Y.applyUpdate(doc, new Uint8Array(payload.update), "remote");
  });
  const sync = await emitAck<SyncDocAck & { ok: true }>(socket, CLIENT_EVENTS.syncDoc, { recordId, stateVector: Y.encodeStateVector(doc) });
  if (!sync.ok) throw new Error(`sync failed: ${JSON.stringify(sync)}`);
  Y.applyUpdate(doc, new Uint8Array(sync.update as unknown as ArrayBuffer), "remote");
  // As the browser does: when the server may have missed messages between processes, sync again.
  socket.on(SERVER_EVENTS.resync, () => {
    void emitAck<SyncDocAck & { ok: true }>(socket, CLIENT_EVENTS.syncDoc, { recordId, stateVector: Y.encodeStateVector(doc) }).then((again) => {
      if (again.ok) Y.applyUpdate(doc, new Uint8Array(again.update as unknown as ArrayBuffer), "remote");
    });
  });
  const pending: Promise<unknown>[] = [];
  doc.on("update", (update: Uint8Array, origin: unknown) => {
    if (origin !== "remote") pending.push(emitAck(socket, CLIENT_EVENTS.updateDoc, { recordId, update }));
  });
  return {
    doc,
    text: () => xmlText(doc.getXmlFragment("body")),
    type: async (field, text) => {
      const fragment = doc.getXmlFragment(field);
      doc.transact(() => {
        const paragraph = new Y.XmlElement("paragraph");
        paragraph.insert(0, [new Y.XmlText(text)]);
        fragment.insert(fragment.length, [paragraph]);
      });
      const acks = await Promise.all(pending.splice(0));
      for (const ack of acks) if (!(ack as { ok: boolean }).ok) throw new Error(`update refused: ${JSON.stringify(ack)}`);
    },
  };
}

/** The plain text of a fragment, one line per paragraph, formatting dropped. */
function xmlText(fragment: Y.XmlFragment | Y.XmlElement): string {
  const plain = (node: unknown): string =>
    node instanceof Y.XmlText
      ? (node.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === "string" ? d.insert : "")).join("")
      : node instanceof Y.XmlElement
        ? node.toArray().map(plain).join("")
        : "";
  return fragment.toArray().map(plain).join("\n");
}
