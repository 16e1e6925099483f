// The merge decided on the server (lib/SPEC.md H5–H8): Prefer: merge, the 412 that carries the
// server's merge, and the dialog's choices validated against it.
import { beforeAll, describe, expect, it } from "vitest";
import type { StaleBody } from "@/lib/errors";
import type { MergeMeta } from "@/lib/revision-meta";
import type { RecordDto, RevisionDto } from "@/lib/types";
import { useTestPool } from "./db";
import { countRevisions, createRecord, createWorkspace, type WorkspaceFixture } from "./factories";
import { useTestServer } from "./server";

const server = useTestServer();
const pool = useTestPool();
let ws: WorkspaceFixture;

beforeAll(async () => {
  ws = await createWorkspace(server.url, pool);
});

type Saved = RecordDto & { merge?: MergeMeta & { autoMerged: { key: string; how: string }[] } };
type ErrorBody = { error: string; message: string; fields?: Record<string, string> };

/** A record at v2: created by the owner, then saved once by the owner with `theirs`. */
async function movedOn(initial: Record<string, unknown>, theirs: Record<string, unknown>) {
  const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Item", ...initial });
  const saved = await ws.members.owner.client.request("PATCH", `/api/records/${record.id}`, { json: { values: theirs }, headers: { "if-match": etag } });
  expect(saved.status).toBe(200);
  return { id: record.id, baseEtag: etag };
}

const patch = <T>(id: string, etag: string, body: Record<string, unknown>, prefer = true) =>
  ws.members.editor.client.request<T>("PATCH", `/api/records/${id}`, { json: body, headers: { "if-match": etag, ...(prefer ? { prefer: "merge" } : {}) } });

const revision = async (id: string, version: number) => (await ws.members.editor.client.get<RevisionDto>(`/api/records/${id}/revisions/${version}`)).body;

describe("Prefer: merge", () => {
  it("H6 one-sided changes on both sides: 200, Preference-Applied: merge, a merge revision whose notes the server computed", async () => {
    const { id, baseEtag } = await movedOn({ stock: 1 }, { name: "Renamed by owner" });
    const res = await patch<Saved>(id, baseEtag, { values: { stock: 7 } });
    expect(res.status).toBe(200);
    expect(res.headers.get("preference-applied")).toBe("merge");
    expect(res.body.values).toMatchObject({ name: "Renamed by owner", stock: 7 });
    expect(res.body.merge).toMatchObject({ baseVersion: 1, overrodeVersion: 2, fields: { stock: "mine" } });
    const rev = await revision(id, 3);
    expect(rev).toMatchObject({ kind: "merge", author: { id: ws.members.editor.id }, changes: { stock: { from: 1, to: 7 } } });
    expect(rev.meta).toEqual({ baseVersion: 1, overrodeVersion: 2, fields: { stock: "mine" } });
  });

  it("H6 tags (set merge) and long text (non-overlapping lines) changed on both sides merge by themselves", async () => {
    const { id, baseEtag } = await movedOn({ tags: ["red"], notes: "one\ntwo\nthree" }, { tags: ["red", "green"], notes: "ONE\ntwo\nthree" });
    const res = await patch<Saved>(id, baseEtag, { values: { tags: ["blue"], notes: "one\ntwo\nTHREE" } });
    expect(res.status).toBe(200);
    expect(res.body.values).toMatchObject({ tags: ["green", "blue"], notes: "ONE\ntwo\nTHREE" });
    expect(res.body.merge?.autoMerged).toEqual(
      expect.arrayContaining([
        { key: "tags", how: "tags" },
        { key: "notes", how: "text" },
      ]),
    );
    expect((await revision(id, 3)).meta).toEqual({ baseVersion: 1, overrodeVersion: 2, fields: { tags: "auto", notes: "auto" } });
  });

  it("H9/M5 counter operations with a stale token merge with theirs' operations: both deltas apply", async () => {
    const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Item", count: 10 });
    const theirs = await ws.members.owner.client.request("PATCH", `/api/records/${record.id}`, { json: { ops: { count: { add: -1 } } } });
    expect(theirs.status).toBe(200);
    const res = await patch<Saved>(record.id, etag, { ops: { count: { add: -2 } } });
    expect(res.status).toBe(200);
    expect(res.body.values.count).toBe(7);
    expect((await revision(record.id, 3)).changes).toEqual({ count: { from: 9, to: 7, add: -2 } });
    expect((await revision(record.id, 3)).meta).toMatchObject({ fields: { count: "auto" } });
  });

  it("M5 a typed count against operations, or against another typed count, is a conflict with both intents", async () => {
    const { id, baseEtag } = await movedOn({ count: 7 }, { count: 5 });
    const took = await patch<StaleBody>(id, baseEtag, { ops: { count: { add: -2 } } });
    expect(took.status).toBe(412);
    expect(took.body.merge!.conflicts).toEqual([{ key: "count", base: 7, mine: 5, theirs: 5, intents: { mine: { add: -2 }, theirs: { set: 5 } } }]);
    const typed = await patch<StaleBody>(id, baseEtag, { values: { count: 6 } });
    expect(typed.status).toBe(412);
    expect(typed.body.merge!.conflicts).toEqual([{ key: "count", base: 7, mine: 6, theirs: 5, intents: { mine: { set: 6 }, theirs: { set: 5 } } }]);
    // "Apply both": my −2 on Dana's count of 5 gives 3; it is written as a value, one revision.
    const both = await patch<Saved>(id, baseEtag, { ops: { count: { add: -2 } }, merge: { theirsVersion: 2, choices: { count: "both" } } });
    expect(both.status).toBe(200);
    expect(both.body.values.count).toBe(3);
    expect((await revision(id, 3)).changes).toEqual({ count: { from: 5, to: 3 } });
    expect(await countRevisions(pool, id)).toBe(3);
  });

  it("H5/H6 a true conflict is a 412 with base, mine and theirs per conflicting field (and line hunks for long text); nothing written", async () => {
    const { id, baseEtag } = await movedOn({ stock: 1, notes: "a\nb\nc" }, { stock: 2, notes: "a\nB by owner\nc" });
    const res = await patch<StaleBody>(id, baseEtag, { values: { stock: 3, notes: "a\nB by editor\nc", category: "A" } });
    expect(res.status).toBe(412);
    expect(res.body).toMatchObject({ error: "stale", current: { version: 2 }, base: { version: 1 }, conflicts: ["stock", "notes"] });
    const conflicts = Object.fromEntries(res.body.merge!.conflicts.map((c) => [c.key, c]));
    expect(conflicts.stock).toEqual({ key: "stock", base: 1, mine: 3, theirs: 2 });
    expect(conflicts.notes).toMatchObject({ base: "a\nb\nc", mine: "a\nB by editor\nc", theirs: "a\nB by owner\nc" });
    expect(conflicts.notes!.hunks).toEqual([
      { kind: "ok", lines: ["a"] },
      { kind: "conflict", base: ["b"], mine: ["B by editor"], theirs: ["B by owner"] },
      { kind: "ok", lines: ["c"] },
    ]);
    expect(res.body.merge!.autoMerged).toContainEqual({ key: "category", how: "mine" });
    expect(await countRevisions(pool, id)).toBe(2);
  });

  it("H5 without Prefer: merge a stale save is refused even when it would merge, and the 412 still carries the merge", async () => {
    const { id, baseEtag } = await movedOn({}, { name: "Theirs" });
    const res = await patch<StaleBody>(id, baseEtag, { values: { stock: 4 } }, false);
    expect(res.status).toBe(412);
    expect(res.body.merge).toMatchObject({ conflicts: [], autoMerged: expect.arrayContaining([{ key: "stock", how: "mine" }]) });
    expect(await countRevisions(pool, id)).toBe(2);
  });
});

describe("per-field bases (H10)", () => {
  it("an edit made after seeing a newer value of that field merges against the value seen, not the token's", async () => {
    // v1 stock 10; v2 (owner) stock 8, name changed. The editor's form kept the v1 token (its name
    // edit waits on the merge) but showed 8 and counted one more: 9 is meant, not 10 − 1 − 2.
    const { id, baseEtag } = await movedOn({ stock: 10 }, { stock: 8, name: "Theirs" });
    const res = await patch<Saved>(id, baseEtag, {
      values: { name: "Mine", stock: 9 },
      bases: { stock: 2 },
      merge: { theirsVersion: 2, choices: { name: "mine" } },
    });
    expect(res.status).toBe(200);
    expect(res.body.values).toMatchObject({ name: "Mine", stock: 9 });
    expect((await revision(id, 3)).meta).toEqual({ baseVersion: 1, overrodeVersion: 2, fields: { name: "mine", stock: "mine" } });
  });

  it("refuses bases outside the token's and the current version, and for fields the save does not set", async () => {
    const { id, baseEtag } = await movedOn({ stock: 10 }, { stock: 8 });
    expect((await patch(id, baseEtag, { values: { stock: 9 }, bases: { stock: 7 } })).status).toBe(400);
    expect((await patch(id, baseEtag, { values: { stock: 9 }, bases: { name: 2 } })).status).toBe(422);
    expect(await countRevisions(pool, id)).toBe(2);
  });
});

describe("the dialog's choices (H7, H8)", () => {
  it("are applied by the server: keep mine, take theirs, apply both, a hand edit; the notes say which", async () => {
    const { id, baseEtag } = await movedOn({ name: "Base", stock: 10, category: "A" }, { name: "Theirs", stock: 12, category: "B" });
    const res = await patch<Saved>(id, baseEtag, {
      values: { name: "Mine", stock: 11, category: "A", due: "2027-01-01" },
      merge: { theirsVersion: 2, choices: { name: { edit: "Both names" }, stock: "both" } },
    });
    // category: mine set it back to base's "A" → it did not change on mine's side; theirs' "B" stays.
    expect(res.status).toBe(200);
    expect(res.body.values).toMatchObject({ name: "Both names", stock: 13, category: "B", due: "2027-01-01" });
    expect((await revision(id, 3)).meta).toEqual({ baseVersion: 1, overrodeVersion: 2, fields: { name: "edit", stock: "both", due: "mine" } });
  });

  it("a forged note is refused: a choice for a field that did not conflict, a missing choice, a bad hand edit (422, nothing written)", async () => {
    const { id, baseEtag } = await movedOn({ stock: 1 }, { stock: 2 });
    const forged = await patch<ErrorBody>(id, baseEtag, {
      values: { stock: 3, name: "Mine" },
      merge: { theirsVersion: 2, choices: { stock: "mine", name: "theirs" } },
    });
    expect(forged.status).toBe(422);
    expect(forged.body.fields).toEqual({ name: "This field did not conflict: there is nothing to choose" });
    const missing = await patch<ErrorBody>(id, baseEtag, { values: { stock: 3 }, merge: { theirsVersion: 2, choices: {} } });
    expect(missing.status).toBe(422);
    expect(missing.body.fields).toHaveProperty("stock");
    const badEdit = await patch<ErrorBody>(id, baseEtag, { values: { stock: 3 }, merge: { theirsVersion: 2, choices: { stock: { edit: -5 } } } });
    expect(badEdit.status).toBe(422);
    expect(badEdit.body.fields?.stock).toMatch(/at least 0/);
    // The old client-side notes ("the client says how it resolved") are no longer accepted at all.
    const claimed = await patch<ErrorBody>(id, baseEtag, { values: { stock: 3 }, merge: { baseVersion: 1, fields: { stock: "mine" } } });
    expect(claimed.status).toBe(400);
    expect(await countRevisions(pool, id)).toBe(2);
  });

  it("H7 choices made against an older theirs are refused with a fresh 412; H8 a merge someone saved over is refused again", async () => {
    const { id, baseEtag } = await movedOn({ stock: 1 }, { stock: 2 });
    const v2 = await ws.members.owner.client.get(`/api/records/${id}`);
    await ws.members.owner.client.request("PATCH", `/api/records/${id}`, { json: { values: { stock: 5 } }, headers: { "if-match": v2.headers.get("etag")! } });
    const stale = await patch<StaleBody>(id, baseEtag, { values: { stock: 3 }, merge: { theirsVersion: 2, choices: { stock: "mine" } } });
    expect(stale.status).toBe(412);
    expect(stale.body.current.version).toBe(3);
    expect(stale.body.merge!.conflicts).toEqual([{ key: "stock", base: 1, mine: 3, theirs: 5 }]);
    const ok = await patch<Saved>(id, baseEtag, { values: { stock: 3 }, merge: { theirsVersion: 3, choices: { stock: "theirs" } } });
    expect(ok.status).toBe(200);
    expect(ok.body.values.stock).toBe(5);
  });

  it("H7 theirsVersion must be newer than the version in If-Match", async () => {
    const { id, baseEtag } = await movedOn({ stock: 1 }, { stock: 2 });
    const res = await patch<ErrorBody>(id, baseEtag, { values: { stock: 3 }, merge: { theirsVersion: 1, choices: { stock: "mine" } } });
    expect(res.status).toBe(400);
  });

  it("a viewer's merge is a 403 before any merge work, an outsider's a 404", async () => {
    const { id, baseEtag } = await movedOn({ stock: 1 }, { stock: 2 });
    const body = { json: { values: { stock: 3 } }, headers: { "if-match": baseEtag, prefer: "merge" } };
    expect((await ws.members.viewer.client.request("PATCH", `/api/records/${id}`, body)).status).toBe(403);
    const outsider = await createWorkspace(server.url, pool);
    expect((await outsider.members.owner.client.request("PATCH", `/api/records/${id}`, body)).status).toBe(404);
    expect(await countRevisions(pool, id)).toBe(2);
  });
});
