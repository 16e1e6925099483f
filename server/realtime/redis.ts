// With REDIS_URL, socket.io's Redis Streams adapter carries what sockets send each other between
// processes: Yjs updates, presence, rich text applied from a form. A stream, unlike PUB/SUB, keeps
// what was added while a reader was away: after a blip each process reads on from where it was,
// and what a process sent while Redis was down waits in its client's queue and goes out when it
// is back. Record events do not travel here at all: every process reads them from the outbox.
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { createClient } from "redis";
import type { TandemServer } from "./rooms";

export type RedisLink = { close: () => Promise<void> };

/**
 * `onBack`: Redis answered again after being away. What the others sent meanwhile arrives from
 * the stream; the caller asks its sockets to check anyway, in case something fell out of it.
 */
export async function attachRedisAdapter(io: TandemServer, { url, prefix }: { url: string; prefix: string }, onBack: () => void): Promise<RedisLink> {
  const client = createClient({
    url,
    socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) + Math.floor(Math.random() * 100) },
  });
  let wasLost = false;
  let lastLogAt = 0;
  client.on("error", (error: unknown) => {
    wasLost = true;
    if (Date.now() - lastLogAt > 10_000) console.error("redis error; real-time messages between processes wait until it is back", error);
    lastLogAt = Date.now();
  });
  client.on("ready", () => {
    if (!wasLost) return;
    wasLost = false;
    console.error("redis is back");
    onBack();
  });
  await client.connect();
  io.adapter(createAdapter(client, { streamName: `${prefix}:socket.io`, channelPrefix: `${prefix}:socket.io`, maxLen: 100_000 }));
  // The stream reader starts at "$" (whatever comes next) until it has read one entry; a blip
  // before that would lose what was added while it was away. One broadcast to a room no one is
  // in gives it a position at once (it reads its own entries, and skips them).
  (io.to(`${prefix}:position`).emit as (name: string) => boolean)("position");
  return {
    async close() {
      await client.close().catch(() => client.destroy());
    },
  };
}
