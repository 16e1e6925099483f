// socket.io on the app's HTTP server: authenticates the handshake with the session cookie, then
// forwards each event to a handler and answers every one with an ack. Rooms: rooms.ts.
import type http from "node:http";
import { Server } from "socket.io";
import { z } from "zod";
import { CLIENT_EVENTS, SERVER_EVENTS, SOCKET_LIMITS, type Ack, type DocRejectedEvent, type SocketErrorCode } from "@/lib/realtime";
import type { Sessions } from "@/server/auth/sessions";
import { AppError } from "@/server/errors";
import type { UseCaseDeps } from "@/server/usecases/deps";
import { AwarenessTracker } from "./awareness";
import { createCheckpoints, type Checkpoints } from "./checkpoints";
import { createLiveDocs } from "@/server/richtext/live-docs";
import { createDocHandlers } from "./doc-handlers";
import { recordRoom, sessionRoom, userRoom, type SocketData, type TandemServer, type TandemSocket } from "./rooms";
import { createWatchHandlers } from "./watch-handlers";

type Handler = (socket: TandemSocket, payload: unknown) => Promise<object>;

export type Realtime = { io: TandemServer; checkpoints: Checkpoints };

export type RealtimeOptions = {
  deps: UseCaseDeps;
  sessions: Sessions;
  checkpointMs: number;
  /** the handshake's origin check: a page of another origin must not open a socket with the user's cookie */
  isAllowedOrigin: (req: http.IncomingMessage) => boolean;
};

export function createRealtimeServer(httpServer: http.Server, options: RealtimeOptions): Realtime {
  const { deps, sessions } = options;
  const io: TandemServer = new Server(httpServer, {
    maxHttpBufferSize: SOCKET_LIMITS.maxMessageBytes,
    serveClient: false,
    pingInterval: 10_000,
    pingTimeout: 5_000,
    // Every handshake request (polling and the WebSocket upgrade) is checked before socket.io
    // answers it: browsers always send Origin on WebSocket, and cookies of the same site with it.
    allowRequest: (req, callback) => callback(null, options.isAllowedOrigin(req)),
  });

  io.use(async (socket, next) => {
    try {
      const headers = new Headers({ cookie: socket.handshake.headers.cookie ?? "" });
      const session = await sessions.getSession(headers);
      if (!session) return next(new Error("unauthenticated"));
      const { user, sessionKey } = session;
      Object.assign(socket.data, {
        user: { id: user.id, name: user.name },
        sessionKey,
        records: new Map(),
        collections: new Set(),
        awareness: new AwarenessTracker(),
        tokens: SOCKET_LIMITS.burst,
        refilledAt: Date.now(),
      } satisfies SocketData);
      next();
    } catch (error) {
      console.error("socket handshake failed", error);
      next(new Error("internal"));
    }
  });

  const checkpoints = createCheckpoints(deps, options.checkpointMs, (problem) =>
    io.to(recordRoom(problem.recordId)).emit(SERVER_EVENTS.docRejected, problem satisfies DocRejectedEvent),
  );
  const watch = createWatchHandlers(deps, (recordId) => checkpoints.flush(recordId));
  const docs = createDocHandlers(deps, checkpoints, createLiveDocs(deps.db));
  // A Map, not an object: an event named "__proto__" or "toString" must find no handler.
  const handlers = new Map<string, Handler>([
    [CLIENT_EVENTS.watchRecord, watch.watchRecord],
    [CLIENT_EVENTS.unwatchRecord, watch.unwatchRecord],
    [CLIENT_EVENTS.watchCollection, watch.watchCollection],
    [CLIENT_EVENTS.unwatchCollection, watch.unwatchCollection],
    [CLIENT_EVENTS.syncDoc, docs.syncDoc],
    [CLIENT_EVENTS.updateDoc, docs.updateDoc],
    [CLIENT_EVENTS.updateAwareness, docs.updateAwareness],
  ]);

  io.on("connection", (socket) => {
    void socket.join([userRoom(socket.data.user.id), sessionRoom(socket.data.sessionKey)]);
    socket.onAny((event: string, ...args: unknown[]) => {
      if (!takeToken(socket)) {
        console.warn("socket flood: disconnecting", { userId: socket.data.user.id });
        socket.disconnect(true);
        return;
      }
      const ack = typeof args[args.length - 1] === "function" ? (args.pop() as (reply: Ack) => void) : undefined;
      const handler = typeof event === "string" ? handlers.get(event) : undefined;
      if (!handler) return ack?.(fail("invalid", `Unknown event "${String(event).slice(0, 100)}"`));
      handler(socket, args[0]).then(
        (reply) => ack?.({ ok: true, ...reply }),
        (error: unknown) => ack?.(toAckError(error, event, socket)),
      );
    });
    socket.on("disconnecting", () => watch.leaveAll(socket));
  });
  return { io, checkpoints };
}

/** Token bucket per connection: a client that floods is cut off, others are not slowed. */
function takeToken(socket: TandemSocket): boolean {
  const data = socket.data;
  const now = Date.now();
  data.tokens = Math.min(SOCKET_LIMITS.burst, data.tokens + ((now - data.refilledAt) / 1000) * SOCKET_LIMITS.messagesPerSecond);
  data.refilledAt = now;
  if (data.tokens < 1) return false;
  data.tokens -= 1;
  return true;
}

const fail = (code: SocketErrorCode, message: string): Ack => ({ ok: false, error: { code, message } });

function toAckError(error: unknown, event: string, socket: TandemSocket): Ack {
  if (error instanceof z.ZodError) return fail("invalid", error.issues.map((i) => `${i.path.join(".") || "payload"}: ${i.message}`).join("; "));
  if (error instanceof AppError) {
    const code: SocketErrorCode =
      error.code === "not_found" || error.code === "gone"
        ? "not_found"
        : error.code === "forbidden" || error.code === "archived"
          ? "forbidden"
          : error.code === "invalid"
            ? "invalid"
            : error.code === "payload_too_large"
              ? "too_large"
              : "internal";
    return fail(code, error.message);
  }
  console.error("socket handler failed", { event, userId: socket.data.user.id, error });
  return fail("internal", "Something went wrong on our side");
}
