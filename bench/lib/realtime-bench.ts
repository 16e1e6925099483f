// What the real-time scenarios share: the socket-client worker, the bare socket.io server, and
// small helpers to turn samples from another process into table figures.
import { startChild, type BenchChild } from "./child.ts";
import type { ScenarioContext } from "../scenarios/types.ts";

export type SocketWorker = BenchChild;
export type BareServer = BenchChild & { url: string };

/** The socket clients' process (bench/workers/socket-clients.ts). */
export const startSocketWorker = (ctx: ScenarioContext): Promise<SocketWorker> => startChild("socket-clients.ts", ctx.cleanup, "the socket-client worker");

/** The bare socket.io server (bench/workers/bare-server.ts) on a free port of 127.0.0.1. */
export async function startBareServer(ctx: ScenarioContext, nodeArgs: string[] = []): Promise<BareServer> {
  const child = await startChild("bare-server.ts", ctx.cleanup, "the bare socket.io server", nodeArgs);
  return { ...child, url: String(child.ready.url) };
}

/** One Cookie header per bench user, for socket handshakes. */
export const userCookies = (ctx: ScenarioContext) => ctx.workspace.users.map((u) => u.client.cookieHeader());

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const fmt = (n: number) => n.toLocaleString("en-US");
