// With REDIS_URL, socket.io's Redis adapter carries room broadcasts between processes.
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import type { TandemServer } from "./gateway";

export async function attachRedisAdapter(io: TandemServer, url: string): Promise<() => Promise<void>> {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) client.on("error", (error: unknown) => console.error("redis error", error));
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub, { key: process.env.TANDEM_REDIS_PREFIX ?? "tandem" }));
  return async () => {
    await Promise.allSettled([pub.quit(), sub.quit()]);
  };
}
