// Real socket.io clients for tests, signed in with an ApiClient's cookie.
import { io, type Socket } from "socket.io-client";
import type { Ack } from "@/lib/realtime";
import { cleanupAfter } from "./db";
import type { ApiClient } from "./client";

export function connectSocket(baseUrl: string, api?: ApiClient): Socket {
  const socket = io(baseUrl, {
    transports: ["websocket"],
    extraHeaders: api ? { cookie: api.cookieHeader } : {},
    reconnection: false,
    forceNew: true,
  });
  cleanupAfter(() => socket.disconnect());
  return socket;
}

export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
}

export async function emitAck<T extends object = object>(socket: Socket, event: string, payload: unknown): Promise<Ack<T>> {
  return socket.timeout(5000).emitWithAck(event, payload) as Promise<Ack<T>>;
}

/** Resolves with the next `event` whose payload matches. */
export function nextEvent<T>(socket: Socket, event: string, match: (payload: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(payload);
    };
    socket.on(event, handler);
  });
}

/** Collects every `event` the socket receives, to assert that nothing leaked into it. */
export function collect<T>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (payload: T) => seen.push(payload));
  return seen;
}

/** Retries an assertion until it passes or the time is up (state settles asynchronously). */
export async function eventually(assertion: () => Promise<void> | void, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
