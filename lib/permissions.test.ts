import { describe, expect, it } from "vitest";
import { ACTIONS, can, permissionsOf, rolesFor } from "./permissions";

describe("permissions", () => {
  it.each([
    ["owner", "collection.manage", true],
    ["owner", "record.write", true],
    ["editor", "record.write", true],
    ["editor", "doc.edit", true],
    ["editor", "members.manage", false],
    ["editor", "contention.view", false],
    ["viewer", "record.read", true],
    ["viewer", "presence.publish", true],
    ["viewer", "record.write", false],
    ["viewer", "doc.edit", false],
    ["viewer", "record.create", false],
  ] as const)("P1 %s may %s: %s", (role, action, expected) => {
    expect(can(role, action)).toBe(expected);
  });

  it("P1 no membership, or a role nobody defined, may do nothing", () => {
    for (const action of ACTIONS) {
      expect(can(null, action)).toBe(false);
      expect(can("admin" as never, action)).toBe(false);
    }
  });

  it("P2 rolesFor lists exactly the roles can() allows", () => {
    expect(rolesFor("record.write")).toEqual(["owner", "editor"]);
    expect(rolesFor("members.manage")).toEqual(["owner"]);
    expect(rolesFor("record.read")).toEqual(["owner", "editor", "viewer"]);
  });

  it("P3 permissionsOf answers every action", () => {
    const viewer = permissionsOf("viewer");
    expect(Object.keys(viewer).sort()).toEqual([...ACTIONS].sort());
    expect(viewer["record.read"]).toBe(true);
    expect(viewer["record.write"]).toBe(false);
  });

  it("P4 an archived collection is read-only for everyone: reads, export and presence stay, and its owners still manage it (to unarchive)", () => {
    const archived = { isArchived: true };
    for (const action of ["record.create", "record.write", "record.delete", "record.restore", "record.undelete", "record.import", "doc.edit"] as const) {
      expect(can("owner", action, archived)).toBe(false);
      expect(can("editor", action, archived)).toBe(false);
      expect(can("owner", action, { isArchived: false })).toBe(true);
    }
    expect(can("viewer", "record.read", archived)).toBe(true);
    expect(can("editor", "record.export", archived)).toBe(true);
    expect(can("owner", "collection.manage", archived)).toBe(true);
    expect(can("editor", "collection.manage", archived)).toBe(false);
    expect(can(null, "record.read", archived)).toBe(false);
    expect(permissionsOf("owner", archived)["record.write"]).toBe(false);
    expect(permissionsOf("owner", archived)["collection.manage"]).toBe(true);
  });
});
