// The contract every RecordStore implementation passes: one suite, run against PostgreSQL
// (pg-record-store.integration.test.ts) and memory (memory-record-store.test.ts), as tldraw runs
// one storage suite against each of its storages.
import { beforeEach, describe, expect, it } from "vitest";
import { rolesFor } from "@/lib/permissions";
import type { CollectionLimit, FieldDef, RecordDto, RecordValues, Role } from "@/lib/types";
import type { RecordStore, WriteInput } from "./record-store";
import { IdempotencyConflict } from "./record-store";

/** What the suite needs to set the scene in a store, whatever keeps its data. */
export type StoreFixture = {
  store: RecordStore;
  addUser(name: string): Promise<string>;
  addWorkspace(): Promise<string>;
  setRole(workspaceId: string, userId: string, role: Role | null): Promise<void>;
  addCollection(workspaceId: string, fields: FieldDef[], limits?: CollectionLimit[]): Promise<string>;
  setArchived(collectionId: string, isArchived: boolean): Promise<void>;
  total(collectionId: string, field: string): Promise<number>;
  countRecords(collectionId: string): Promise<number>;
  /** A running import job of `userId` into the collection, holding the lease `leaseToken`. */
  addImport(collectionId: string, userId: string, leaseToken: string): Promise<string>;
  /** Another process takes the import over: it holds `leaseToken` now. */
  takeOverImport(importId: string, leaseToken: string): Promise<void>;
  importProgress(importId: string): Promise<{ processed: number; created: number; failedCount: number } | null>;
};

const FIELDS: FieldDef[] = [
  { key: "name", label: "Name", type: "text" },
  { key: "stock", label: "Stock", type: "counter", options: { min: 0, max: 100 } },
  { key: "seats", label: "Seats", type: "counter", options: { min: 0 } },
  { key: "tags", label: "Tags", type: "tags", options: { choices: ["a", "b"] } },
];

const WRITE = rolesFor("record.write");

export function describeRecordStoreContract(name: string, makeFixture: () => Promise<StoreFixture>) {
  describe(`RecordStore contract: ${name}`, () => {
    let f: StoreFixture;
    let store: RecordStore;
    let workspaceId: string;
    let collectionId: string;
    let owner: string;
    let viewer: string;
    let stranger: string;

    beforeEach(async () => {
      f = await makeFixture();
      store = f.store;
      workspaceId = await f.addWorkspace();
      owner = await f.addUser("Owner");
      viewer = await f.addUser("Viewer");
      stranger = await f.addUser("Stranger");
      await f.setRole(workspaceId, owner, "owner");
      await f.setRole(workspaceId, viewer, "viewer");
      collectionId = await f.addCollection(workspaceId, FIELDS, [{ kind: "sum", field: "seats", max: 10 }]);
    });

    const create = async (values: RecordValues = { name: "A", stock: 5, seats: 0, tags: [] }): Promise<RecordDto> => {
      const out = await store.create({ collectionId, actorId: owner, roles: rolesFor("record.create"), values });
      if (out.outcome !== "saved") throw new Error(`create: ${out.outcome}`);
      return out.record;
    };
    const write = (recordId: string, input: Partial<WriteInput>) =>
      store.write({ recordId, actorId: owner, roles: WRITE, expectedVersion: null, set: {}, add: {}, kind: "save", meta: null, ...input });

    it("creates version 1 with a create revision whose changes list every value set", async () => {
      const record = await create({ name: "Lamp", stock: 3, seats: 0, tags: [] });
      expect(record).toMatchObject({ version: 1, values: { name: "Lamp", stock: 3 }, updatedBy: { id: owner, name: "Owner" }, deletedAt: null });
      const revision = await store.revision(record.id, 1);
      expect(revision).toMatchObject({ kind: "create", snapshot: { name: "Lamp", stock: 3 } });
      expect(revision!.changes.name).toEqual({ from: null, to: "Lamp" });
    });

    it("refuses a create to a viewer (forbidden) and to a stranger or an unknown collection (not_found)", async () => {
      const values = { name: "x", stock: 0, seats: 0, tags: [] };
      expect((await store.create({ collectionId, actorId: viewer, roles: rolesFor("record.create"), values })).outcome).toBe("forbidden");
      expect((await store.create({ collectionId, actorId: stranger, roles: rolesFor("record.create"), values })).outcome).toBe("not_found");
      const unknown = "00000000-0000-4000-8000-000000000000";
      expect((await store.create({ collectionId: unknown, actorId: owner, roles: rolesFor("record.create"), values })).outcome).toBe("not_found");
    });

    it("createMany writes every row with its create revision, in one go without limits; refuses viewers and strangers", async () => {
      const plain = await f.addCollection(workspaceId, FIELDS, []);
      const rows = [1, 2, 3].map((i) => ({ name: `Row ${i}`, stock: i, seats: 0, tags: [] }));
      const out = await store.createMany({ collectionId: plain, actorId: owner, roles: rolesFor("record.import"), rows });
      if (out.outcome !== "saved") throw new Error(`createMany: ${out.outcome}`);
      expect(out.records.map((r) => r.values.name).sort()).toEqual(["Row 1", "Row 2", "Row 3"]);
      for (const record of out.records) expect(await store.revision(record.id, 1)).toMatchObject({ kind: "create", snapshot: { name: record.values.name } });
      expect((await store.createMany({ collectionId: plain, actorId: viewer, roles: rolesFor("record.import"), rows })).outcome).toBe("forbidden");
      expect((await store.createMany({ collectionId: plain, actorId: stranger, roles: rolesFor("record.import"), rows })).outcome).toBe("not_found");
      // With a limit, nothing is written in one go: the rows go through create one by one, each checked.
      const limited = await store.createMany({
        collectionId,
        actorId: owner,
        roles: rolesFor("record.import"),
        rows: [4, 4, 4].map((seats) => ({ name: "S", stock: 0, seats, tags: [] })),
      });
      expect(limited).toEqual({ outcome: "limited" });
      expect(await f.total(collectionId, "seats")).toBe(0);
    });

    it("P4 refuses every record write to an archived collection (archived), writing nothing; a system write still goes through; unarchived, writes go on", async () => {
      const a = await create({ name: "a", stock: 5, seats: 1, tags: [] });
      const b = await create({ name: "b", stock: 5, seats: 1, tags: [] });
      const plain = await f.addCollection(workspaceId, FIELDS, []);
      await f.setArchived(collectionId, true);
      await f.setArchived(plain, true);
      expect(await write(a.id, { expectedVersion: 1, set: { name: "x" } })).toEqual({ outcome: "archived" });
      expect(await write(a.id, { add: { stock: -1 } })).toEqual({ outcome: "archived" });
      expect(await write(a.id, { expectedVersion: 1, lifecycle: "delete", kind: "delete" })).toEqual({ outcome: "archived" });
      expect(await write(a.id, { expectedVersion: 1, set: { name: "A" }, kind: "restore", meta: { restoredFrom: 1 } })).toEqual({ outcome: "archived" });
      // A stale token is not what is wrong first: the collection is archived.
      expect(await write(a.id, { expectedVersion: 7, set: { name: "x" } })).toEqual({ outcome: "archived" });
      const values = { name: "c", stock: 0, seats: 0, tags: [] };
      expect(await store.create({ collectionId, actorId: owner, roles: rolesFor("record.create"), values })).toEqual({ outcome: "archived" });
      expect(await store.createMany({ collectionId: plain, actorId: owner, roles: rolesFor("record.import"), rows: [values] })).toEqual({
        outcome: "archived",
      });
      expect(await store.transfer({ collectionId, field: "seats", fromId: a.id, toId: b.id, amount: 1, actorId: owner, roles: WRITE })).toEqual({
        outcome: "archived",
      });
      // Who may not write at all is told that first.
      expect((await store.write({ ...base(a.id), actorId: viewer })).outcome).toBe("forbidden");
      expect((await store.write({ ...base(a.id), actorId: stranger })).outcome).toBe("not_found");
      expect((await store.access(a.id, owner))?.record).toMatchObject({ version: 1, values: { name: "a", stock: 5 } });
      expect(await store.access(a.id, owner)).toMatchObject({ isArchived: true });
      expect(await f.total(collectionId, "seats")).toBe(2);
      // A checkpoint of live text accepted before the archive is not refused.
      expect((await store.write({ ...base(a.id), roles: null, expectedVersion: null, set: { name: "live" } })).outcome).toBe("saved");
      await f.setArchived(collectionId, false);
      expect((await write(b.id, { expectedVersion: 1, set: { name: "B" } })).outcome).toBe("saved");
      expect(await store.access(b.id, owner)).toMatchObject({ isArchived: false });
    });

    it("saves at the expected version: a new version, and changes that list only what changed", async () => {
      const record = await create();
      const out = await write(record.id, { expectedVersion: 1, set: { name: "B", stock: 5 } });
      expect(out.outcome).toBe("saved");
      if (out.outcome !== "saved") return;
      expect(out.record.version).toBe(2);
      expect(out.changes).toEqual({ name: { from: "A", to: "B" } });
      expect(await store.revision(record.id, 2)).toMatchObject({ kind: "save", snapshot: { name: "B", stock: 5 }, changes: out.changes });
    });

    it("writes nothing when nothing differs (unchanged), and nothing at a stale version (stale, with the base values)", async () => {
      const record = await create();
      expect((await write(record.id, { expectedVersion: 1, set: { name: "A" } })).outcome).toBe("unchanged");
      await write(record.id, { expectedVersion: 1, set: { name: "B" } });
      const stale = await write(record.id, { expectedVersion: 1, set: { name: "C" } });
      expect(stale).toMatchObject({ outcome: "stale", current: { version: 2, values: { name: "B" } }, base: { version: 1, values: { name: "A" } } });
      expect(await store.revision(record.id, 3)).toBeNull();
    });

    it("refuses in order: a stranger gets not_found, a viewer forbidden (even on a deleted record), then gone", async () => {
      const record = await create();
      expect((await store.write({ ...base(record.id), actorId: stranger })).outcome).toBe("not_found");
      expect((await store.write({ ...base(record.id), actorId: viewer })).outcome).toBe("forbidden");
      expect((await write(record.id, { expectedVersion: 1, lifecycle: "delete", kind: "delete" })).outcome).toBe("saved");
      expect((await store.write({ ...base(record.id), actorId: viewer, expectedVersion: 2 })).outcome).toBe("forbidden");
      expect((await write(record.id, { expectedVersion: 2, set: { name: "x" } })).outcome).toBe("gone");
    });

    it("deletes and undeletes as versions of their own; undeleting a live record is not_deleted", async () => {
      const record = await create();
      expect((await write(record.id, { expectedVersion: 1, lifecycle: "undelete", kind: "undelete" })).outcome).toBe("not_deleted");
      const deleted = await write(record.id, { expectedVersion: 1, lifecycle: "delete", kind: "delete" });
      expect(deleted).toMatchObject({ outcome: "saved", record: { version: 2 } });
      if (deleted.outcome === "saved") expect(deleted.record.deletedAt).not.toBeNull();
      const back = await write(record.id, { expectedVersion: 2, lifecycle: "undelete", kind: "undelete" });
      expect(back).toMatchObject({ outcome: "saved", record: { version: 3, deletedAt: null, values: { name: "A" } } });
      expect((await store.revision(record.id, 3))?.kind).toBe("undelete");
    });

    it("an import's write stores its checkpoint with its rows, and once another process took the import over writes nothing (superseded)", async () => {
      const plain = await f.addCollection(workspaceId, FIELDS, []);
      const importId = await f.addImport(plain, owner, "lease-1");
      const rows = [1, 2, 3].map((i) => ({ name: `Row ${i}`, stock: i, seats: 1, tags: [] }));
      const checkpoint = (leaseToken: string, processed: number, created: number, failedCount = 0) => ({
        importId,
        leaseToken,
        leaseMs: 30_000,
        processed,
        created,
        failedCount,
      });
      const batch = await store.createMany({
        collectionId: plain,
        actorId: owner,
        roles: rolesFor("record.import"),
        rows,
        checkpoint: checkpoint("lease-1", 4, 3, 1),
      });
      expect(batch.outcome).toBe("saved");
      expect(await f.importProgress(importId)).toEqual({ processed: 4, created: 3, failedCount: 1 });
      await f.takeOverImport(importId, "lease-2");
      const late = await store.createMany({
        collectionId: plain,
        actorId: owner,
        roles: rolesFor("record.import"),
        rows,
        checkpoint: checkpoint("lease-1", 7, 6),
      });
      expect(late).toEqual({ outcome: "superseded" });
      expect(await f.countRecords(plain)).toBe(3);
      expect(await f.importProgress(importId)).toEqual({ processed: 4, created: 3, failedCount: 1 });
      // One by one (a collection with limits): the same, and a row a limit refuses stores no progress.
      const limitedImport = await f.addImport(collectionId, owner, "lease-3");
      const one = (leaseToken: string, seats: number, processed: number) =>
        store.create({
          collectionId,
          actorId: owner,
          roles: rolesFor("record.import"),
          values: { name: "S", stock: 0, seats, tags: [] },
          checkpoint: { importId: limitedImport, leaseToken, leaseMs: 30_000, processed, created: processed, failedCount: 0 },
        });
      expect((await one("lease-3", 4, 1)).outcome).toBe("saved");
      expect((await one("lease-3", 7, 2)).outcome).toBe("limit");
      expect(await f.importProgress(limitedImport)).toEqual({ processed: 1, created: 1, failedCount: 0 });
      await f.takeOverImport(limitedImport, "lease-4");
      expect(await one("lease-3", 1, 3)).toEqual({ outcome: "superseded" });
      expect(await f.total(collectionId, "seats")).toBe(4);
      expect((await one("lease-4", 1, 3)).outcome).toBe("saved");
      expect(await f.importProgress(limitedImport)).toEqual({ processed: 3, created: 3, failedCount: 0 });
    });

    it("changes a deleted record as it stays deleted (isDeletedOk: a conversion), keeping who deleted it and when; totals do not move", async () => {
      const record = await create({ name: "A", stock: 5, seats: 3, tags: [] });
      const deleted = await store.write({ ...base(record.id), actorId: viewer, roles: null, lifecycle: "delete", kind: "delete", set: {} });
      if (deleted.outcome !== "saved") throw new Error(deleted.outcome);
      expect(await f.total(collectionId, "seats")).toBe(0);
      // Without the flag a deleted record is gone.
      expect((await write(record.id, { expectedVersion: 2, set: { name: "B" } })).outcome).toBe("gone");
      const converted = await write(record.id, { expectedVersion: 2, set: { name: "B", seats: 4 }, isDeletedOk: true });
      expect(converted).toMatchObject({ outcome: "saved", record: { version: 3, values: { name: "B", seats: 4 } } });
      if (converted.outcome !== "saved") return;
      expect(converted.record.deletedAt).toBe(deleted.record.deletedAt);
      expect(converted.record.updatedBy.id).toBe(viewer);
      expect(converted.record.updatedAt).toBe(deleted.record.updatedAt);
      expect(await store.revision(record.id, 3)).toMatchObject({ kind: "save", author: { id: owner }, changes: { name: { from: "A", to: "B" } } });
      expect(await f.total(collectionId, "seats")).toBe(0);
      // Live records take it as any write.
      const live = await create();
      expect((await write(live.id, { expectedVersion: 1, set: { name: "C" }, isDeletedOk: true })).outcome).toBe("saved");
      expect((await store.access(live.id, owner))?.record).toMatchObject({ deletedAt: null, updatedBy: { id: owner } });
    });

    it("applies counter deltas to the current value at any version, and records them as operations", async () => {
      const record = await create();
      await write(record.id, { expectedVersion: 1, set: { name: "B" } });
      const out = await write(record.id, { add: { stock: -2 } });
      expect(out).toMatchObject({ outcome: "saved", record: { version: 3, values: { stock: 3, name: "B" } } });
      if (out.outcome === "saved") expect(out.changes).toEqual({ stock: { from: 5, to: 3, add: -2 } });
    });

    it("refuses a delta that crosses a bound (limit), writing nothing", async () => {
      const record = await create();
      expect(await write(record.id, { add: { stock: -6 } })).toEqual({
        outcome: "limit",
        refusal: { kind: "bound", field: "stock", min: 0, max: 100, current: 5, requested: -6 },
      });
      expect((await write(record.id, { add: { stock: 96 } })).outcome).toBe("limit");
      expect((await store.access(record.id, owner))?.record).toMatchObject({ version: 1, values: { stock: 5 } });
    });

    it("keeps a collection limit on every write that moves its field, and refuses what would cross it", async () => {
      const a = await create({ name: "a", stock: 0, seats: 4, tags: [] });
      const b = await create({ name: "b", stock: 0, seats: 4, tags: [] });
      expect(await f.total(collectionId, "seats")).toBe(8);
      const over = await write(b.id, { expectedVersion: 1, set: { seats: 7 } });
      expect(over).toMatchObject({ outcome: "limit", refusal: { kind: "sum", field: "seats", max: 10, used: 8, requested: 3 } });
      expect((await store.create({ collectionId, actorId: owner, roles: WRITE, values: { name: "c", stock: 0, seats: 3, tags: [] } })).outcome).toBe("limit");
      expect((await write(b.id, { add: { seats: 2 } })).outcome).toBe("saved");
      expect(await f.total(collectionId, "seats")).toBe(10);
      expect((await write(a.id, { expectedVersion: 1, lifecycle: "delete", kind: "delete" })).outcome).toBe("saved");
      expect(await f.total(collectionId, "seats")).toBe(6);
      expect((await write(b.id, { add: { seats: 4 } })).outcome).toBe("saved");
      expect((await write(a.id, { expectedVersion: 2, lifecycle: "undelete", kind: "undelete" })).outcome).toBe("limit");
      expect(await f.total(collectionId, "seats")).toBe(10);
    });

    it("stores the idempotency key with the version it wrote (or the current one when nothing changed); a second use collides", async () => {
      const record = await create();
      const key = { userId: owner, key: "k1", requestHash: "h1", status: 200 };
      expect((await write(record.id, { expectedVersion: 1, set: { name: "B" }, idempotency: key })).outcome).toBe("saved");
      expect(await store.findIdempotency(owner, "k1")).toEqual({ requestHash: "h1", status: 200, body: { recordId: record.id, version: 2 } });
      await expect(write(record.id, { expectedVersion: 2, set: { name: "C" }, idempotency: key })).rejects.toBeInstanceOf(IdempotencyConflict);
      expect((await store.access(record.id, owner))?.record.version).toBe(2);
      const same = { ...key, key: "k2" };
      expect((await write(record.id, { expectedVersion: 2, set: { name: "B" }, idempotency: same })).outcome).toBe("unchanged");
      expect((await store.findIdempotency(owner, "k2"))?.body.version).toBe(2);
    });

    it("operations sent at once each get their own version and revision, in one chain, with every bound and limit held", async () => {
      const record = await create({ name: "Hot", stock: 50, seats: 0, tags: [] });
      const editor = await f.addUser("Editor");
      await f.setRole(workspaceId, editor, "editor");
      // 60 at once, from two people: 30 × −1 and 30 × +1 (stock stays within 0..100 whatever the order).
      const outcomes = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          write(record.id, {
            actorId: i % 2 ? editor : owner,
            add: { stock: i % 2 ? 1 : -1 },
            idempotency: { userId: i % 2 ? editor : owner, key: `burst-${i}`, requestHash: `h${i}`, status: 200 },
          }),
        ),
      );
      expect(outcomes.map((o) => o.outcome)).toEqual(Array(60).fill("saved"));
      const versions = outcomes.map((o) => (o.outcome === "saved" ? o.record.version : 0)).sort((a, b) => a - b);
      expect(versions).toEqual(Array.from({ length: 60 }, (_, i) => i + 2));
      // Each revision starts where the one before it ended, by its author, and its key names it.
      let stock = 50;
      for (let version = 2; version <= 61; version++) {
        const revision = (await store.revision(record.id, version))!;
        const change = revision.changes.stock!;
        expect(change.from).toBe(stock);
        expect(change.to).toBe(stock + change.add!);
        expect(revision.snapshot).toMatchObject({ name: "Hot", stock: change.to });
        expect(revision.author.id).toBe(change.add === 1 ? editor : owner);
        stock = change.to as number;
      }
      expect(stock).toBe(50);
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome.outcome !== "saved") continue;
        expect((await store.findIdempotency(i % 2 ? editor : owner, `burst-${i}`))?.body).toEqual({ recordId: record.id, version: outcome.record.version });
      }
      // A bound: 8 take one each from a stock of 5: exactly 5 saved, 3 refused, nothing below 0.
      const low = await create({ name: "Low", stock: 5, seats: 0, tags: [] });
      const takes = await Promise.all(Array.from({ length: 8 }, () => write(low.id, { add: { stock: -1 } })));
      expect(takes.filter((o) => o.outcome === "saved")).toHaveLength(5);
      expect(takes.filter((o) => o.outcome === "limit")).toHaveLength(3);
      expect((await store.access(low.id, owner))?.record).toMatchObject({ version: 6, values: { stock: 0 } });
      // A collection limit (seats ≤ 10): 14 add one each; exactly 10 saved, and the total says so.
      const team = await create({ name: "Team", stock: 0, seats: 0, tags: [] });
      const seats = await Promise.all(Array.from({ length: 14 }, () => write(team.id, { add: { seats: 1 } })));
      expect(seats.filter((o) => o.outcome === "saved")).toHaveLength(10);
      expect(seats.filter((o) => o.outcome === "limit")).toHaveLength(4);
      expect(await f.total(collectionId, "seats")).toBe(10);
      expect((await store.access(team.id, owner))?.record).toMatchObject({ version: 11, values: { seats: 10 } });
    });

    it("operations sent at once by a member, a viewer and a stranger: only the member's are written, the others refused as alone", async () => {
      const record = await create({ name: "Mixed", stock: 50, seats: 0, tags: [] });
      const actors = Array.from({ length: 30 }, (_, i) => [owner, viewer, stranger][i % 3]!);
      const outcomes = await Promise.all(
        actors.map((actorId) => store.write({ ...base(record.id), actorId, expectedVersion: null, set: {}, add: { stock: -1 } })),
      );
      expect(outcomes.filter((o, i) => actors[i] === owner).map((o) => o.outcome)).toEqual(Array(10).fill("saved"));
      expect(outcomes.filter((o, i) => actors[i] === viewer).map((o) => o.outcome)).toEqual(Array(10).fill("forbidden"));
      expect(outcomes.filter((o, i) => actors[i] === stranger).map((o) => o.outcome)).toEqual(Array(10).fill("not_found"));
      expect((await store.access(record.id, owner))?.record).toMatchObject({ version: 11, values: { stock: 40 } });
      for (let version = 2; version <= 11; version++) expect((await store.revision(record.id, version))?.author.id).toBe(owner);
    });

    it("tells how versions changed a counter: by operations only (their sum) or by a typed value", async () => {
      const record = await create();
      await write(record.id, { add: { stock: -1 } });
      await write(record.id, { add: { stock: -2 }, set: { name: "B" } });
      expect(await store.counterIntents(record.id, 1, 3, ["stock", "seats", "name"])).toEqual({ stock: { add: -3 }, name: { set: null } });
      await write(record.id, { expectedVersion: 3, set: { stock: 9 } });
      await write(record.id, { add: { stock: 1 } });
      expect(await store.counterIntents(record.id, 1, 5, ["stock"])).toEqual({ stock: { set: 10 } });
      expect(await store.counterIntents(record.id, 4, 5, ["stock"])).toEqual({ stock: { add: 1 } });
      expect(await store.counterIntents(record.id, 5, 5, ["stock"])).toEqual({});
    });

    it("transfers quantity between two records: both get a version and a revision naming the other, or neither", async () => {
      const a = await create({ name: "a", stock: 5, seats: 4, tags: [] });
      const b = await create({ name: "b", stock: 5, seats: 2, tags: [] });
      const moved = await store.transfer({ collectionId, field: "seats", fromId: a.id, toId: b.id, amount: 3, actorId: owner, roles: WRITE });
      expect(moved).toMatchObject({
        outcome: "saved",
        from: { id: a.id, version: 2, values: { seats: 1 } },
        to: { id: b.id, version: 2, values: { seats: 5 } },
      });
      expect(await store.revision(a.id, 2)).toMatchObject({
        changes: { seats: { from: 4, to: 1, add: -3 } },
        meta: { transfer: { field: "seats", amount: 3, direction: "out", other: b.id } },
      });
      expect(await store.revision(b.id, 2)).toMatchObject({ meta: { transfer: { direction: "in", other: a.id } } });
      expect(await f.total(collectionId, "seats")).toBe(6);
      // Past a bound: nothing moves.
      const over = await store.transfer({ collectionId, field: "seats", fromId: a.id, toId: b.id, amount: 2, actorId: owner, roles: WRITE });
      expect(over).toMatchObject({ outcome: "limit", refusal: { kind: "bound", field: "seats", min: 0, current: 1, requested: -2, recordId: a.id } });
      expect((await store.access(b.id, owner))?.record).toMatchObject({ version: 2, values: { seats: 5 } });
      expect((await store.transfer({ collectionId, field: "seats", fromId: a.id, toId: b.id, amount: 1, actorId: viewer, roles: WRITE })).outcome).toBe(
        "forbidden",
      );
      expect((await store.transfer({ collectionId, field: "seats", fromId: a.id, toId: b.id, amount: 1, actorId: stranger, roles: WRITE })).outcome).toBe(
        "not_found",
      );
      await write(b.id, { expectedVersion: 2, lifecycle: "delete", kind: "delete" });
      expect((await store.transfer({ collectionId, field: "seats", fromId: a.id, toId: b.id, amount: 1, actorId: owner, roles: WRITE })).outcome).toBe(
        "not_found",
      );
    });

    it("a system write (roles null) needs no membership; reads give the record at any version", async () => {
      const record = await create();
      const out = await store.write({ ...base(record.id), actorId: stranger, roles: null, set: { name: "live" } });
      expect(out.outcome).toBe("saved");
      expect(await store.recordAt(record.id, 1)).toMatchObject({ version: 1, values: { name: "A" } });
      expect(await store.access(record.id, stranger)).toMatchObject({ role: null, record: { version: 2 } });
      expect(await store.shape(record.id)).toMatchObject({ collectionId, workspaceId, fields: FIELDS });
      expect(await store.isMember(workspaceId, viewer)).toBe(true);
      expect(await store.isMember(workspaceId, stranger)).toBe(false);
    });

    const base = (recordId: string): WriteInput => ({
      recordId,
      actorId: owner,
      roles: WRITE,
      expectedVersion: 1,
      set: { name: "Z" },
      add: {},
      kind: "save",
      meta: null,
    });
  });
}
