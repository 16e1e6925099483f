// Fan-out watchers, as light as a socket.io client can be, so that the watchers' process (which
// shares the machine's cores with the server) is not what a fan-out figure measures. Each speaks
// just enough of socket.io's wire protocol over a `ws` websocket: the Engine.IO 4 handshake
// ("0{…}" open, "2"/"3" ping/pong) and Socket.IO 5 packets ("40" connect, "42[…]" event,
// "4<id>[…]"/"43<id>[…]" emit with ack). It signs in like a browser tab (the session cookie in
// the handshake), joins a record room with `record:watch`, and notes when each `record:saved`
// arrives, on process.hrtime (CLOCK_MONOTONIC, the bench's clock too). socket.io-client costs
// about 1.5× as much CPU per event received (32 µs against 22 µs on the machine of the README),
// which on two cores is taken from the servers under test.
import WebSocket from "ws";
import { CLIENT_EVENTS, SERVER_EVENTS } from "@/lib/realtime";
import { monoNow } from "../lib/proc.ts";

export type WatchersOpenArgs = { group: string; url: string; cookies: string[]; count: number; recordId: string; concurrency?: number };
export type WatchersOpenResult = { ms: number };
export type WatchersCollectArgs = { group: string; versions: number[]; waitMs: number };
/** arrivals[k] (monotonic ms) is a delivery of versions[index[k]]; `missing` deliveries never came */
export type WatchersCollectResult = { arrivals: Float64Array; index: Uint32Array; missing: number; disconnected: number };

type Watcher = { ws: WebSocket; closedByUs: boolean };
type Group = { watchers: Watcher[]; disconnected: number; arrivals: Map<number, number[]> };

const groups = new Map<string, Group>();
const SAVED_PREFIX = `42["${SERVER_EVENTS.recordSaved}",`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function groupOf(name: string): Group {
  const group = groups.get(name);
  if (!group) throw new Error(`no watcher group ${name}`);
  return group;
}

/** One watcher: connected, signed in and in the record's room once this resolves. */
function connect(url: string, cookie: string | undefined, recordId: string, group: Group): Promise<Watcher> {
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`, {
    headers: cookie ? { cookie } : {},
    perMessageDeflate: false,
  });
  const watcher: Watcher = { ws, closedByUs: false };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error("no record:watch ack in 20 s")), 20_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      ws.terminate();
      reject(error);
    };
    ws.on("error", fail);
    ws.on("close", () => {
      if (!watcher.closedByUs) group.disconnected++;
    });
    ws.on("message", (data: Buffer) => {
      const text = data.toString("utf8");
      if (text.startsWith(SAVED_PREFIX)) {
        const at = monoNow();
        const version = (JSON.parse(text.slice(2)) as [string, { version: number }])[1].version;
        const list = group.arrivals.get(version);
        if (list) list.push(at);
        else group.arrivals.set(version, [at]);
      } else if (text === "2") ws.send("3");
      else if (text.startsWith("0{")) ws.send("40");
      else if (text.startsWith("40")) ws.send(`420${JSON.stringify([CLIENT_EVENTS.watchRecord, { recordId }])}`);
      else if (text.startsWith("430")) {
        const [ack] = JSON.parse(text.slice(3)) as [{ ok: boolean }];
        if (!ack.ok) return fail(new Error(`record:watch refused: ${text.slice(3, 300)}`));
        clearTimeout(timer);
        resolve(watcher);
      } else if (text.startsWith("44")) fail(new Error(`socket.io connect refused: ${text.slice(2, 300)}`));
    });
  });
}

async function open(args: WatchersOpenArgs): Promise<WatchersOpenResult> {
  const t0 = performance.now();
  const group: Group = { watchers: [], disconnected: 0, arrivals: new Map() };
  groups.set(args.group, group);
  let next = 0;
  const lane = async () => {
    while (next < args.count) {
      const i = next++;
      group.watchers.push(await connect(args.url, args.cookies.length ? args.cookies[i % args.cookies.length] : undefined, args.recordId, group));
    }
  };
  await Promise.all(Array.from({ length: Math.min(args.concurrency ?? 50, args.count) }, lane));
  return { ms: performance.now() - t0 };
}

/** Forgets the arrivals noted so far (before a step's first save). */
async function listen({ group }: { group: string }): Promise<null> {
  groupOf(group).arrivals = new Map();
  return null;
}

/** The arrivals of the given versions at every watcher, once all came or `waitMs` passed. */
async function collect({ group, versions, waitMs }: WatchersCollectArgs): Promise<WatchersCollectResult> {
  const g = groupOf(group);
  const live = () => g.watchers.length - g.disconnected;
  const deadline = performance.now() + waitMs;
  while (!versions.every((v) => (g.arrivals.get(v)?.length ?? 0) >= live()) && performance.now() < deadline) await sleep(10);
  const arrivals: number[] = [];
  const index: number[] = [];
  let missing = 0;
  for (const [k, version] of versions.entries()) {
    const got = g.arrivals.get(version) ?? [];
    for (const at of got) {
      arrivals.push(at);
      index.push(k);
    }
    missing += Math.max(0, g.watchers.length - got.length);
  }
  g.arrivals = new Map();
  return { arrivals: Float64Array.from(arrivals), index: Uint32Array.from(index), missing, disconnected: g.disconnected };
}

async function close({ group }: { group: string }): Promise<null> {
  for (const watcher of groups.get(group)?.watchers ?? []) {
    watcher.closedByUs = true;
    watcher.ws.close();
  }
  groups.delete(group);
  return null;
}

export const watcherHandlers = {
  "watchers:open": open,
  "watchers:listen": listen,
  "watchers:collect": collect,
  "watchers:close": close,
  /** this process's monotonic clock, to check that it is the bench's */
  clock: async () => monoNow(),
};
