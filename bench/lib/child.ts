// Bench helpers that run in child processes of their own (socket clients, the bare socket.io
// server), so that they do not share the bench's event loop. They talk over the IPC channel:
// a request { id, cmd, args } gets one reply { id, ok, result | error }. A child exits when its
// parent goes away (the channel closes), so nothing outlives the bench, even on a crash.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Cleanup } from "./environment.ts";

const workersDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "workers");

export type WorkerReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
export type WorkerEvent = { event: string; [key: string]: unknown };

export type BenchChild = {
  pid: number;
  /** what the child announced when it was ready (e.g. its URL) */
  ready: WorkerEvent;
  call: <T>(cmd: string, args?: object) => Promise<T>;
  stop: () => Promise<void>;
};

export async function startChild(
  script: string,
  cleanup: Cleanup,
  label = script,
  nodeArgs: string[] = [],
  env: Record<string, string> = {},
): Promise<BenchChild> {
  const child: ChildProcess = fork(path.join(workersDir, script), [], {
    execArgv: [...nodeArgs, "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    serialization: "advanced",
    env: { ...process.env, NODE_ENV: "production", ...env },
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  cleanup.add(`stop ${label}`, stop);
  child.once("exit", (code, signal) => {
    for (const p of pending.values()) p.reject(new Error(`${label} exited (${code ?? signal})`));
    pending.clear();
  });

  const ready = await new Promise<WorkerEvent>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start in 30 s`)), 30_000);
    child.on("message", (message: WorkerReply | WorkerEvent) => {
      if ("event" in message) {
        if (message.event === "ready") {
          clearTimeout(timer);
          resolve(message);
        }
        return;
      }
      const p = pending.get(message.id);
      if (!p) return;
      pending.delete(message.id);
      if (message.ok) p.resolve(message.result);
      else p.reject(new Error(`${label}: ${message.error}`));
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (${code ?? signal}) before it was ready`));
    });
  });

  const call = <T>(cmd: string, args: object = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, cmd, args });
    });
  return { pid: child.pid!, ready, call, stop };
}

/** The child side: serve requests with `handlers`, announce readiness, exit with the parent. */
export function serveParent(handlers: Record<string, (args: never) => Promise<unknown>>, ready: object = {}): void {
  process.on("disconnect", () => process.exit(0));
  process.on("message", (message: { id: number; cmd: string; args: object }) => {
    const handler = handlers[message.cmd];
    const reply = (r: WorkerReply) => process.send?.(r);
    if (!handler) return reply({ id: message.id, ok: false, error: `unknown command ${message.cmd}` });
    handler(message.args as never).then(
      (result) => reply({ id: message.id, ok: true, result }),
      (error: unknown) => reply({ id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  process.send?.({ event: "ready", ...ready });
}
