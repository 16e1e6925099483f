// The raw baseline of the real-time scenarios: a bare socket.io server in a process of its own,
// with the gateway's options but nothing else (no auth, no validation, no persistence).
// - `record:watch` {recordId} joins the room `record:<id>` and acks, as the gateway does after its check;
// - `doc:update` {recordId, update} is relayed to the rest of the room as it comes, then acked;
// - `POST /emit` {room, event, payload} answers 200, then broadcasts the event to the room on the
//   next turn of the event loop (setImmediate), as Tandem's publisher sends `record:saved` after
//   the save's response.
import http from "node:http";
import { Server } from "socket.io";
import { CLIENT_EVENTS, SERVER_EVENTS, SOCKET_LIMITS } from "@/lib/realtime";
import { serveParent } from "../lib/child.ts";

const server = http.createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/emit") {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const { room, event, payload } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { room: string; event: string; payload: unknown };
    const body = Buffer.from('{"ok":true}');
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length }).end(body);
    setImmediate(() => io.to(room).emit(event, payload));
  });
});

const io = new Server(server, { maxHttpBufferSize: SOCKET_LIMITS.maxMessageBytes, serveClient: false, pingInterval: 10_000, pingTimeout: 5_000 });
type Ack = (reply: object) => void;
io.on("connection", (socket) => {
  socket.on(CLIENT_EVENTS.watchRecord, async (payload: { recordId: string }, ack?: Ack) => {
    await socket.join(`record:${payload.recordId}`);
    ack?.({ ok: true, version: 1, role: "editor" });
  });
  socket.on(CLIENT_EVENTS.updateDoc, (payload: { recordId: string; update: Uint8Array }, ack?: Ack) => {
    socket.to(`record:${payload.recordId}`).emit(SERVER_EVENTS.docUpdated, payload);
    ack?.({ ok: true });
  });
});

server.listen(0, "127.0.0.1", () => {
  const address = server.address() as { port: number };
  serveParent({}, { url: `http://127.0.0.1:${address.port}` });
});
process.on("SIGTERM", () => {
  void io.close();
  process.exit(0);
});
