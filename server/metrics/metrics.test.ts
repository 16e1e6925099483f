// The observer's bookkeeping without a database: what a save adds to Prometheus and to the
// rollups, and that labels only ever hold schema keys (a key the request made up is dropped).
import { describe, expect, it } from "vitest";
import type { RollupCounts } from "@/lib/contention";
import { formatEtag } from "@/lib/etag";
import type { FieldDef } from "@/lib/types";
import { MemoryRecordStore } from "@/server/persistence/memory/memory-record-store";
import { saveRecord } from "@/server/usecases/save-record";
import { createMetrics, mergeRule } from "./metrics";
import type { RollupAccumulator } from "./rollups";

function fakeRollups() {
  const added: { recordId: string; field: string; counts: Partial<RollupCounts> }[] = [];
  const acc: RollupAccumulator = {
    add: (recordId, field, counts) => void added.push({ recordId, field, counts }),
    flush: async () => {},
    close: async () => {},
    pending: () => added.length,
  };
  return { acc, added };
}

const sample = async (metrics: ReturnType<typeof createMetrics>, name: string) => (await metrics.registry.getSingleMetric(name)!.get()).values;

describe("the metrics observer", () => {
  it("names merge rules: one side's change is 'different fields'", () => {
    expect(mergeRule("mine")).toBe("different_fields");
    expect(mergeRule("theirs")).toBe("different_fields");
    expect(mergeRule("counter")).toBe("counter");
    expect(mergeRule("text")).toBe("text");
  });

  it("a merged save counts by rule; a field's auto-merge in the rollups only for both sides' changes", async () => {
    const { acc, added } = fakeRollups();
    const metrics = createMetrics(acc);
    metrics.save({
      recordId: "r1",
      collectionId: "c1",
      outcome: "merged_server",
      ms: 3,
      fields: ["count", "name"],
      conflicts: [],
      autoMerged: [
        { key: "count", how: "counter" },
        { key: "name", how: "mine" },
      ],
      numberChanges: [{ key: "count", isUnit: true }],
    });
    const rules = await sample(metrics, "tandem_auto_merges_total");
    expect(rules.map((v) => [v.labels.rule, v.value]).sort()).toEqual([
      ["counter", 1],
      ["different_fields", 1],
    ]);
    expect(added.find((a) => a.field === "")?.counts).toMatchObject({ saves: 1, autoMerged: 1 });
    expect(added.find((a) => a.field === "count")?.counts).toMatchObject({ autoMerged: 1, numberChanges: 1, unitChanges: 1 });
    expect(added.find((a) => a.field === "name")?.counts).toMatchObject({ autoMerged: 0 });
  });

  it("refusals before the record is known count in Prometheus only", async () => {
    const { acc, added } = fakeRollups();
    const metrics = createMetrics(acc);
    metrics.save({ recordId: "r1", collectionId: null, outcome: "not_found", ms: 1, fields: [], conflicts: [], autoMerged: [], numberChanges: [] });
    expect((await sample(metrics, "tandem_saves_total"))[0]).toMatchObject({ value: 1, labels: { outcome: "not_found", collection: "none" } });
    expect(added).toEqual([]);
  });

  it("a save through the use case tells the observer its outcome, and a made-up key never becomes a label", async () => {
    const store = new MemoryRecordStore();
    const fields: FieldDef[] = [
      { key: "name", label: "Name", type: "text" },
      { key: "price", label: "Price", type: "number" },
    ];
    store.addUser("u1", "Dana");
    const workspaceId = crypto.randomUUID();
    store.setRole(workspaceId, "u1", "editor");
    const collectionId = crypto.randomUUID();
    store.addCollection({ id: collectionId, workspaceId, fields, limits: [] });
    const created = await store.create({ collectionId, actorId: "u1", roles: ["editor"], values: { name: "A", price: 10 } });
    if (created.outcome !== "saved") throw new Error(created.outcome);
    const { acc, added } = fakeRollups();
    const metrics = createMetrics(acc);
    const deps = { store, db: null as never, committed: () => {}, observe: metrics };
    const actor = { id: "u1", name: "Dana" };
    const id = created.record.id;
    await saveRecord(deps, actor, { recordId: id, ifMatch: formatEtag(id, 1), body: { values: { price: 11 } } }).catch(() => {});
    await saveRecord(deps, actor, { recordId: id, ifMatch: formatEtag(id, 1), body: { values: { price: 9 } } }).catch(() => {});
    await saveRecord(deps, actor, { recordId: id, ifMatch: formatEtag(id, 2), body: { values: { "made-up key": 1 } } }).catch(() => {});
    const saves = await sample(metrics, "tandem_saves_total");
    expect(Object.fromEntries(saves.map((v) => [v.labels.outcome, v.value]))).toEqual({ saved: 1, stale: 1, invalid: 1 });
    expect((await sample(metrics, "tandem_conflicts_total")).map((v) => v.labels.field)).toEqual(["price"]);
    const text = await metrics.render();
    expect(text).not.toContain("made-up key");
    expect(text).not.toContain(id);
    expect(added.filter((a) => a.field === "price").map((a) => a.counts.unitChanges)).toEqual([1, 1]);
    expect(added.some((a) => a.field === "made-up key")).toBe(false);
  });
});
