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
});
