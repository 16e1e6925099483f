// The operators' metrics (Prometheus, prom-client) and the owners' per-minute rollups, fed by one
// observer. Labels are bounded: outcomes, rules and SQLSTATEs from fixed lists, collection ids and
// field keys the server itself read from a collection's schema, route patterns (never a path, a
// record id or anything a user typed).
import client from "prom-client";
import { latencyBucket, type RollupCounts } from "@/lib/contention";
import type { AutoMergeHow } from "@/lib/types";
import type { DialogOutcome, Observer, SaveObservation, WriteStats } from "./observer";
import type { RollupAccumulator } from "./rollups";

const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DIALOG_BUCKETS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800];

const BOTH_SIDES = new Set<AutoMergeHow>(["counter", "tags", "text"]);

/** The auto-merge rule an outcome's `how` names (M2–M7): one side only is "different fields". */
export function mergeRule(how: AutoMergeHow): string {
  if (how === "mine" || how === "theirs") return "different_fields";
  return how;
}

export type Metrics = Observer & {
  registry: client.Registry;
  /** Prometheus text exposition */
  render(): Promise<string>;
  contentType: string;
  /** the live layer: sockets connected and rooms watched, read when scraped */
  setRealtimeGauge(read: () => { sockets: number; rooms: number }): void;
  yjsUpdateRelayed(): void;
  /** seconds between an outbox event's commit and this process reading it */
  outboxLag(seconds: number): void;
  webhookDelivery(isOk: boolean): void;
};

export function createMetrics(rollups: RollupAccumulator | null): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "tandem_" });
  const counter = (name: string, help: string, labelNames: string[] = []) => new client.Counter({ name, help, labelNames, registers: [registry] });
  const histogram = (name: string, help: string, buckets: number[], labelNames: string[] = []) =>
    new client.Histogram({ name, help, buckets, labelNames, registers: [registry] });

  const saves = counter("tandem_saves_total", "Record saves (PATCH /api/records/:id) by outcome and collection", ["outcome", "collection"]);
  const conflicts = counter("tandem_conflicts_total", "Fields of saves refused as stale that both sides changed, by collection and field", [
    "collection",
    "field",
  ]);
  const autoMerges = counter("tandem_auto_merges_total", "Fields the server merged by itself, by merge rule", ["rule"]);
  const limits = counter("tandem_limit_refusals_total", "Saves refused by a collection limit or a counter bound, by collection and field (the limit)", [
    "collection",
    "limit",
  ]);
  const saveSeconds = histogram("tandem_save_duration_seconds", "Server-side time of a record save, from request to answer", SECONDS_BUCKETS, ["outcome"]);
  const lockSeconds = histogram("tandem_lock_wait_seconds", "Time a record write statement spent until it held the row lock", SECONDS_BUCKETS);
  const retries = counter("tandem_transaction_retries_total", "Transactions retried after a transient failure, by SQLSTATE", ["sqlstate"]);
  const exhausted = counter("tandem_transaction_retries_exhausted_total", "Transactions that still failed after their last retry, by SQLSTATE", ["sqlstate"]);
  const requests = counter("tandem_http_requests_total", "API requests by route, method and status class", ["route", "method", "status"]);
  const dialogs = counter("tandem_merge_dialog_total", "Merge dialogs closed, by outcome and collection", ["outcome", "collection"]);
  const dialogSeconds = histogram("tandem_merge_dialog_seconds", "Time from a stale refusal to the dialog's resolution", DIALOG_BUCKETS, ["outcome"]);
  const yjs = counter("tandem_yjs_updates_relayed_total", "Yjs document updates relayed to a room");
  const outbox = histogram(
    "tandem_outbox_lag_seconds",
    "Time from an outbox event's commit to this process reading it",
    [0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30],
  );
  const webhooks = counter("tandem_webhook_deliveries_total", "Webhook delivery attempts by result", ["result"]);
  let realtime: () => { sockets: number; rooms: number } = () => ({ sockets: 0, rooms: 0 });
  new client.Gauge({
    name: "tandem_sockets_connected",
    help: "Sockets connected to this process",
    registers: [registry],
    collect() {
      this.set(realtime().sockets);
    },
  });
  new client.Gauge({
    name: "tandem_rooms_watched",
    help: "Record and collection rooms with a watcher on this process",
    registers: [registry],
    collect() {
      this.set(realtime().rooms);
    },
  });

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    save(o: SaveObservation) {
      const collection = o.collectionId ?? "none";
      saves.inc({ outcome: o.outcome, collection });
      saveSeconds.observe({ outcome: o.outcome }, o.ms / 1000);
      for (const field of o.conflicts) conflicts.inc({ collection, field });
      for (const m of o.autoMerged) autoMerges.inc({ rule: mergeRule(m.how) });
      if (o.outcome === "limit" && o.limitField) limits.inc({ collection, limit: o.limitField });
      if (!rollups || !o.collectionId || o.outcome === "not_found" || o.outcome === "forbidden" || o.outcome === "invalid" || o.outcome === "error") return;
      const latency: number[] = [];
      latency[latencyBucket(o.ms)] = 1;
      rollups.add(o.recordId, "", {
        saves: 1,
        refused: o.outcome === "stale" ? 1 : 0,
        autoMerged: o.outcome === "merged_server" ? 1 : 0,
        limited: o.outcome === "limit" ? 1 : 0,
        latency: Array.from(latency, (n) => n ?? 0),
      });
      // A field's auto-merges are those of both sides' changes (counter, tags, text): the ones "always
      // ask" would have sent to the dialog (one side's change never asks, M2).
      const merged = new Set(o.autoMerged.filter((m) => BOTH_SIDES.has(m.how)).map((m) => m.key));
      const conflicted = new Set(o.conflicts);
      for (const field of o.fields) {
        const number = o.numberChanges.find((c) => c.key === field);
        const counts: Partial<RollupCounts> = {
          saves: 1,
          refused: conflicted.has(field) ? 1 : 0,
          autoMerged: o.outcome === "merged_server" && merged.has(field) ? 1 : 0,
          limited: o.outcome === "limit" && o.limitField === field ? 1 : 0,
          numberChanges: number ? 1 : 0,
          unitChanges: number?.isUnit ? 1 : 0,
        };
        rollups.add(o.recordId, field, counts);
      }
    },
    write(stats: WriteStats) {
      if (stats.lockMs === null) return;
      lockSeconds.observe(stats.lockMs / 1000);
      rollups?.add(stats.recordId, "", { lockWaits: 1, lockWaitMs: stats.lockMs });
    },
    retry(code, recordId) {
      retries.inc({ sqlstate: code });
      if (recordId) rollups?.add(recordId, "", { retries: 1 });
    },
    retriesExhausted(code) {
      exhausted.inc({ sqlstate: code });
    },
    request(route, method, status) {
      requests.inc({ route, method, status: `${Math.floor(status / 100)}xx` });
    },
    dialog(collectionId: string, outcome: DialogOutcome, ms: number) {
      dialogs.inc({ outcome, collection: collectionId });
      dialogSeconds.observe({ outcome }, ms / 1000);
    },
    setRealtimeGauge(read) {
      realtime = read;
    },
    yjsUpdateRelayed() {
      yjs.inc();
    },
    outboxLag(seconds) {
      outbox.observe(Math.max(0, seconds));
    },
    webhookDelivery(isOk) {
      webhooks.inc({ result: isOk ? "delivered" : "failed" });
    },
  };
}
