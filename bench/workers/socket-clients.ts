// Many socket clients in a process of their own (so that they do not share the bench's event
// loop), driven by the bench over IPC. Clients sign in like a browser tab: the session cookie in
// the handshake's headers, over the websocket transport. Groups of clients:
// - fan-out watchers (`watchers:*`, in watchers.ts): light websocket clients in a record room that
//   note when each `record:saved` arrives;
// - idle sockets (`open`, `close`): socket.io clients, each watching a record;
// - Yjs peers (`yjs:open`, `yjs:run`): each syncs the record's Y.Doc (`doc:sync`), owns one
//   paragraph of the XmlFragment "body", and types into it at a steady rate (`doc:update`);
//   every peer notes when each other peer's update reaches it.
// Every client stays far under the server's 100 messages/s per connection.
import { io, type Socket } from "socket.io-client";
import * as Y from "yjs";
import { CLIENT_EVENTS, SERVER_EVENTS, type Ack, type SyncDocAck } from "@/lib/realtime";
import { serveParent } from "../lib/child.ts";
import { monoNow } from "../lib/proc.ts";
import { watcherHandlers } from "./watchers.ts";

export type OpenArgs = {
  group: string;
  url: string;
  /** one Cookie header per person; client i uses cookies[i % length]; none for the bare server */
  cookies: string[];
  count: number;
  /** client i watches recordIds[i % length] */
  recordIds: string[];
  concurrency?: number;
};
export type YjsOpenArgs = OpenArgs & { sync: boolean };
export type YjsRunArgs = { group: string; perClientPerSecond: number; warmupMs: number; durationMs: number; waitMs: number };
export type YjsRunResult = {
  latencies: Float64Array;
  sent: number;
  sentInWindow: number;
  acked: number;
  refused: number;
  firstError?: string;
  expectedDeliveries: number;
  deliveries: number;
  windowStart: number;
  windowEnd: number;
  converged: boolean;
  disconnected: number;
};

type Peer = { socket: Socket; doc: Y.Doc; text?: Y.XmlText };
type Group = {
  sockets: Socket[];
  disconnected: number;
  peers?: Peer[];
  /**
   * Whether the update being typed now falls in the measuring window: decided once per keystroke
   * by yjsRun, so that the updates counted as sent and those whose deliveries are counted are the
   * same ones (a keystroke at the window's very end was once counted by one and not the other).
   */
  isCounting?: boolean;
  stats?: YjsStats;
};

const groups = new Map<string, Group>();
const groupOf = (name: string) => {
  const group = groups.get(name);
  if (!group) throw new Error(`no group ${name}`);
  return group;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bytes = (value: unknown) => (value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer));

function connect(url: string, cookie: string | undefined): Promise<Socket> {
  const socket = io(url, {
    transports: ["websocket"],
    extraHeaders: cookie ? { cookie } : {},
    reconnection: false,
    forceNew: true,
    timeout: 20_000,
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error) => {
      socket.disconnect();
      reject(error);
    });
  });
}

async function watch(socket: Socket, recordId: string): Promise<void> {
  const ack = (await socket.timeout(20_000).emitWithAck(CLIENT_EVENTS.watchRecord, { recordId })) as Ack;
  if (!ack.ok) throw new Error(`record:watch refused: ${JSON.stringify(ack)}`);
}

/** Opens `count` clients, `concurrency` handshakes at a time, each watching its record. */
/** ms to open them all, and how many messages they received meanwhile (e.g. `awareness:query` on every join) */
export type OpenResult = { ms: number; received: number };

async function open(args: OpenArgs, setup: (socket: Socket, index: number) => Promise<void> = async () => {}): Promise<OpenResult> {
  const t0 = performance.now();
  const group: Group = { sockets: new Array<Socket>(args.count), disconnected: 0 };
  let received = 0;
  groups.set(args.group, group);
  let next = 0;
  const lane = async () => {
    while (next < args.count) {
      const i = next++;
      const socket = await connect(args.url, args.cookies.length ? args.cookies[i % args.cookies.length] : undefined);
      socket.on("disconnect", (reason) => {
        if (reason !== "io client disconnect") group.disconnected++;
      });
      group.sockets[i] = socket;
      socket.onAny(() => received++);
      await watch(socket, args.recordIds[i % args.recordIds.length]!);
      await setup(socket, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(args.concurrency ?? 50, args.count) }, lane));
  const result = { ms: performance.now() - t0, received };
  for (const socket of group.sockets) socket.offAny();
  return result;
}

async function close({ group }: { group: string }): Promise<null> {
  for (const socket of groups.get(group)?.sockets ?? []) socket?.disconnect();
  groups.delete(group);
  return null;
}

// ---- Yjs peers ----

type Sent = { at: number; counted: boolean };
const yjsSent = new Map<string, Sent>();
const keyOf = (update: Uint8Array) => Buffer.from(update.buffer, update.byteOffset, update.byteLength).toString("base64");
type YjsStats = { latencies: number[]; deliveries: number; acked: number; refused: number; firstError?: string };

const yjsStatsOf = (group: Group): YjsStats => (group.stats ??= { latencies: [], deliveries: 0, acked: 0, refused: 0 });

async function yjsOpen(args: YjsOpenArgs): Promise<OpenResult> {
  const peers: Peer[] = [];
  const recordId = args.recordIds[0]!;
  const result = await open(args, async (socket, i) => {
    const doc = new Y.Doc();
    const peer: Peer = { socket, doc };
    peers[i] = peer;
    socket.on(SERVER_EVENTS.docUpdated, (payload: { recordId: string; update: unknown }) => {
      const at = monoNow();
      const update = bytes(payload.update);
      const group = groups.get(args.group);
      if (group) {
        const stats = yjsStatsOf(group);
        const sent = yjsSent.get(keyOf(update));
        if (sent?.counted) {
          stats.deliveries++;
          stats.latencies.push(at - sent.at);
        }
      }
      Y.applyUpdate(doc, update, "remote");
    });
    if (args.sync) {
      const ack = (await socket.timeout(20_000).emitWithAck(CLIENT_EVENTS.syncDoc, { recordId, stateVector: Y.encodeStateVector(doc) })) as SyncDocAck;
      if (!ack.ok) throw new Error(`doc:sync refused: ${JSON.stringify(ack)}`);
      Y.applyUpdate(doc, bytes(ack.update), "remote");
    }
    doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === "remote") return;
      const group = groups.get(args.group);
      const at = monoNow();
      yjsSent.set(keyOf(update), { at, counted: group?.isCounting === true });
      socket.emit(CLIENT_EVENTS.updateDoc, { recordId, update }, (ack: Ack) => {
        if (!group) return;
        const stats = yjsStatsOf(group);
        if (ack.ok) stats.acked++;
        else {
          stats.refused++;
          stats.firstError ??= JSON.stringify(ack);
        }
      });
    });
  });
  const group = groupOf(args.group);
  group.peers = peers;
  // Each peer owns a paragraph at the end of the body, and types into it from then on.
  for (const [i, peer] of peers.entries()) {
    const text = new Y.XmlText(`peer ${i}: `);
    peer.doc.transact(() => {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [text]);
      const body = peer.doc.getXmlFragment("body");
      body.insert(body.length, [paragraph]);
    });
    peer.text = text;
  }
  await sleep(500);
  return result;
}

async function yjsRun(args: YjsRunArgs): Promise<YjsRunResult> {
  const group = groupOf(args.group);
  const peers = group.peers ?? [];
  group.stats = { latencies: [], deliveries: 0, acked: 0, refused: 0 };
  const windowStart = monoNow() + args.warmupMs;
  const windowEnd = windowStart + args.durationMs;
  yjsSent.clear();
  const period = 1000 / args.perClientPerSecond;
  let sent = 0;
  let sentInWindow = 0;
  // Every peer types a few characters once per period, the peers spread evenly over it.
  await Promise.all(
    peers.map(async (peer, i) => {
      await sleep((i * period) / peers.length);
      const start = monoNow();
      for (let k = 0; ; k++) {
        const due = start + k * period;
        if (due > windowEnd) break;
        const wait = due - monoNow();
        if (wait > 0) await sleep(wait);
        const at = monoNow();
        group.isCounting = at >= windowStart && at <= windowEnd;
        peer.text!.insert(peer.text!.length, "ab"); // its "update" event fires in here, synchronously
        group.isCounting = false;
        sent++;
        if (at >= windowStart && at <= windowEnd) sentInWindow++;
      }
    }),
  );
  const live = () => peers.length - group.disconnected;
  const expectedDeliveries = sentInWindow * (live() - 1);
  const deadline = performance.now() + args.waitMs;
  while ((group.stats.deliveries < expectedDeliveries || group.stats.acked + group.stats.refused < sent) && performance.now() < deadline) await sleep(20);
  const vectors = new Set(peers.map((p) => keyOf(Y.encodeStateVector(p.doc))));
  const stats = group.stats;
  return {
    latencies: Float64Array.from(stats.latencies),
    sent,
    sentInWindow,
    acked: stats.acked,
    refused: stats.refused,
    firstError: stats.firstError,
    expectedDeliveries,
    deliveries: stats.deliveries,
    windowStart,
    windowEnd,
    converged: vectors.size === 1,
    disconnected: group.disconnected,
  };
}

serveParent({
  ...watcherHandlers,
  open: (args: OpenArgs) => open(args),
  close,
  "yjs:open": yjsOpen,
  "yjs:run": yjsRun,
});
