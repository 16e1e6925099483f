// Webhook delivery rate (issue 11): a backlog of committed versions (the endpoint disabled while
// they are saved, so that deliveries pile up as pending), then the endpoint is enabled and the
// clock runs until a local receiver has every event id once. Beside it, the same number of signed
// POSTs of the same bodies sent by plain Node with the same concurrency: what delivering over
// HTTP costs without a queue in PostgreSQL around it.
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { BENCH_FIELDS, createCollection, insertRecords, listRecordIds } from "../lib/fixtures.ts";
import { resultOf } from "../lib/load.ts";
import type { BenchRow, Scenario, ScenarioContext } from "./types.ts";

/** TANDEM_WEBHOOK_CONCURRENCY's default: attempts in flight per process. */
const CONCURRENCY = 8;
/** The bench's fields with N as a counter, so that the backlog is made of operations (no read, no token). */
const FIELDS = BENCH_FIELDS.map((f) => (f.key === "n" ? { key: "n", label: "N", type: "counter" as const } : f));

type Receiver = { url: string; seen: Set<string>; received: number; waitFor: (n: number, timeoutMs: number) => Promise<void>; close: () => Promise<void> };

export const webhooks: Scenario = {
  name: "webhooks",
  description: "webhook deliveries per second from a backlog of saves, beside plain signed POSTs to the same receiver",
  async run(ctx) {
    const versions = ctx.options.quick ? 300 : 3000;
    const recordCount = ctx.options.quick ? 60 : 300;
    const owner = ctx.workspace.users[0]!;
    await ctx.admin.query(`UPDATE memberships SET role = 'owner' WHERE "workspaceId" = $1 AND "userId" = $2`, [ctx.workspace.id, owner.id]);
    const receiver = await startReceiver();
    try {
      const collectionId = await createCollection(ctx.admin, ctx.workspace.id, "Webhook source", FIELDS);
      await insertRecords(ctx.admin, collectionId, owner.id, recordCount);
      const ids = await listRecordIds(ctx.admin, collectionId, recordCount);
      const created = await owner.client.json<{ webhook: { id: string } }>("POST", `/api/workspaces/${ctx.workspace.id}/webhooks`, {
        json: { url: receiver.url, events: ["record.saved"], collectionId },
        expect: 201,
      });
      const endpointId = created.body.webhook.id;
      await owner.client.json("PATCH", `/api/webhooks/${endpointId}`, { json: { isEnabled: false }, expect: 200 });

      // The backlog: `versions` saves spread over the records (a record's versions go out in order, one at a time).
      const clients = Array.from({ length: CONCURRENCY }, (_, i) => ctx.workspace.users[i % ctx.workspace.users.length]!.client);
      let next = 0;
      await Promise.all(
        clients.map(async (client) => {
          for (let i = next++; i < versions; i = next++) {
            const id = ids[i % ids.length]!;
            const res = await client.request("PATCH", `/api/records/${id}`, { json: { ops: { n: { add: 1 } } } });
            if (res.status !== 200) throw new Error(`PATCH for the backlog: ${res.status} ${res.text.slice(0, 200)}`);
          }
        }),
      );
      const enqueued = await waitUntil(async () => (await pendingCount(ctx, endpointId)) >= versions, 120_000);
      if (!enqueued) {
        // Not a measurement any more, but what is known goes in the row (and the bench goes on).
        const { rows: where } = await ctx.admin.query<{ cursor: string; top: string }>(
          `SELECT (SELECT seq::text FROM outbox_cursors WHERE name = 'webhooks') AS cursor, (SELECT max(seq)::text FROM outbox) AS top`,
        );
        ctx.log(
          `  the backlog was not enqueued within 120 s: ${await pendingCount(ctx, endpointId)} of ${versions}; enqueuer cursor ${where[0]?.cursor}, outbox at ${where[0]?.top}`,
        );
        return [
          {
            scenario: "webhooks",
            case: `delivery of a ${versions}-version backlog over ${recordCount} records`,
            kind: "throughput",
            tandem: resultOf([], 1, 0, undefined, NaN),
            raw: resultOf([], 1, 0, undefined, NaN),
            ratio: NaN,
            goals: [{ label: "every event once", ok: false }],
            notes: {
              enqueued: `${await pendingCount(ctx, endpointId)} of ${versions} within 120 s`,
              cursor: `${where[0]?.cursor} (outbox at ${where[0]?.top})`,
            },
          },
        ];
      }
      const { rows: bodies } = await ctx.admin.query<{ body: string }>(`SELECT body FROM webhook_deliveries WHERE "endpointId" = $1 LIMIT $2`, [
        endpointId,
        versions,
      ]);

      const started = performance.now();
      await owner.client.json("PATCH", `/api/webhooks/${endpointId}`, { json: { isEnabled: true }, expect: 200 });
      await receiver.waitFor(versions, 300_000);
      const tandemMs = performance.now() - started;
      const duplicates = receiver.received - receiver.seen.size;

      // The baseline: the same bodies, signed, POSTed by plain Node with the same concurrency.
      const agent = new http.Agent({ keepAlive: false });
      const bareStarted = performance.now();
      let cursor = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let i = cursor++; i < bodies.length; i = cursor++) await post(receiver.url, bodies[i]!.body, agent);
        }),
      );
      const bareMs = performance.now() - bareStarted;
      agent.destroy();

      const tandem = resultOf([], tandemMs, 0, undefined, (versions / tandemMs) * 1000);
      const raw = resultOf([], bareMs, 0, undefined, (bodies.length / bareMs) * 1000);
      const row: BenchRow = {
        scenario: "webhooks",
        case: `delivery of a ${versions}-version backlog over ${recordCount} records`,
        kind: "throughput",
        tandem,
        raw,
        ratio: tandem.opsPerSec / raw.opsPerSec,
        goals: [{ label: "every event once", ok: receiver.seen.size === versions && duplicates === 0 }],
        notes: {
          baseline: `plain Node: the same ${bodies.length} signed bodies POSTed, ${CONCURRENCY} at a time, a new connection each (as Tandem's sender)`,
          duplicates,
        },
      };
      return [row];
    } finally {
      await receiver.close();
      await ctx.admin.query(`UPDATE memberships SET role = 'editor' WHERE "workspaceId" = $1 AND "userId" = $2`, [ctx.workspace.id, owner.id]);
    }
  },
};

async function pendingCount(ctx: ScenarioContext, endpointId: string): Promise<number> {
  const { rows } = await ctx.admin.query<{ n: string }>(`SELECT count(*) AS n FROM webhook_deliveries WHERE "endpointId" = $1`, [endpointId]);
  return Number(rows[0]!.n);
}

/** Polls until `check` holds (true) or the time is up (false). */
async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

function startReceiver(): Promise<Receiver> {
  const seen = new Set<string>();
  const waiters: { n: number; resolve: () => void }[] = [];
  const state = { received: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const id = req.headers["tandem-event-id"];
      // The baseline's POSTs carry no event id: they are counted by the sender.
      if (typeof id === "string") {
        state.received++;
        seen.add(id);
        for (const w of waiters.filter((w) => seen.size >= w.n)) w.resolve();
      }
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/hook`,
        seen,
        get received() {
          return state.received;
        },
        waitFor: (n, timeoutMs) =>
          new Promise<void>((ok, fail) => {
            if (seen.size >= n) return ok();
            const timer = setTimeout(() => fail(new Error(`the receiver got ${seen.size} of ${n} events`)), timeoutMs);
            waiters.push({ n, resolve: () => (clearTimeout(timer), ok()) });
          }),
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

function post(url: string, body: string, agent: http.Agent): Promise<void> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", "bench-secret").update(`${timestamp}.${body}`).digest("hex");
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "tandem-timestamp": timestamp,
          "tandem-signature": `v1=${signature}`,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 204 ? resolve() : reject(new Error(`receiver answered ${res.statusCode}`))));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
