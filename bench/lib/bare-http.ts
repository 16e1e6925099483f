// Starts the bare HTTP baseline (workers/bare-http.ts) once, on first use, on the bench database
// with a pool of the server's size; it stops with the bench (cleanup, or when the bench exits).
import { startChild, type BenchChild } from "./child.ts";
import type { Cleanup } from "./environment.ts";

export type BareHttp = BenchChild & { url: string };

export function lazyBareHttp(cleanup: Cleanup, databaseUrl: string, poolSize: number): () => Promise<BareHttp> {
  let started: Promise<BareHttp> | undefined;
  return () =>
    (started ??= startChild("bare-http.ts", cleanup, "the bare HTTP server", [], {
      BENCH_DATABASE_URL: databaseUrl,
      BENCH_POOL_SIZE: String(poolSize),
    }).then((child) => ({ ...child, url: String(child.ready.url) })));
}
