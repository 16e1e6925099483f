// With REDIS_URL, socket.io's Redis adapter carries room broadcasts between processes.
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import type { TandemServer } from "./rooms";

export async function attachRedisAdapter(io: TandemServer, { url, prefix }: { url: string; prefix: string }): Promise<() => Promise<void>> {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) client.on("error", (error: unknown) => console.error("redis error", error));
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub, { key: prefix }));
  return async () => {
    await Promise.allSettled([pub.quit(), sub.quit()]);
  };
}
