import { describe, expect, it } from "vitest";
import { decideMembershipChange, invitationExpiry, invitationStatus } from "./membership";

describe("membership changes", () => {
  it.each([
    ["W1 a stranger learns nothing", { actorRole: null, targetRole: "editor", owners: 1 }, { role: "viewer" }, 404],
    ["W1 an editor may not change roles", { actorRole: "editor", targetRole: "viewer", owners: 1 }, { role: "editor" }, 403],
    ["W1 a viewer may not remove", { actorRole: "viewer", targetRole: "editor", owners: 1 }, "remove", 403],
    ["W1 an unknown member is a 404", { actorRole: "owner", targetRole: null, owners: 1 }, "remove", 404],
    ["W2 the last owner cannot be demoted", { actorRole: "owner", targetRole: "owner", owners: 1 }, { role: "editor" }, 409],
    ["W2 the last owner cannot be removed", { actorRole: "owner", targetRole: "owner", owners: 1 }, "remove", 409],
    ["W2 the last owner cannot leave", { actorRole: "owner", targetRole: "owner", owners: 1, isSelf: true }, "remove", 409],
    ["W1 leaving is not changing one's own role", { actorRole: "editor", targetRole: "editor", owners: 1, isSelf: true }, { role: "owner" }, 403],
  ] as const)("%s", (_title, scene, change, status) => {
    expect(decideMembershipChange(scene, change)?.status).toBe(status);
  });

  it.each([
    ["W1 an owner demotes an editor", { actorRole: "owner", targetRole: "editor", owners: 1 }, { role: "viewer" }],
    ["W2 one of two owners may be demoted", { actorRole: "owner", targetRole: "owner", owners: 2 }, { role: "viewer" }],
    ["W2 one of two owners may be removed", { actorRole: "owner", targetRole: "owner", owners: 2 }, "remove"],
    ["W2 the last owner may stay an owner", { actorRole: "owner", targetRole: "owner", owners: 1 }, { role: "owner" }],
    ["W1 an editor may leave", { actorRole: "editor", targetRole: "editor", owners: 1, isSelf: true }, "remove"],
    ["W1 a viewer may leave", { actorRole: "viewer", targetRole: "viewer", owners: 1, isSelf: true }, "remove"],
    ["W1 one of two owners may leave", { actorRole: "owner", targetRole: "owner", owners: 2, isSelf: true }, "remove"],
  ] as const)("%s", (_title, scene, change) => {
    expect(decideMembershipChange(scene, change)).toBeNull();
  });
});

describe("invitations", () => {
  const now = new Date("2026-12-01T12:00:00.000Z");
  it("W3 used, revoked, expired and pending", () => {
    const later = "2026-12-02T00:00:00.000Z";
    expect(invitationStatus({ acceptedAt: now, revokedAt: null, expiresAt: later }, now)).toBe("accepted");
    expect(invitationStatus({ acceptedAt: null, revokedAt: now, expiresAt: later }, now)).toBe("revoked");
    expect(invitationStatus({ acceptedAt: null, revokedAt: null, expiresAt: now }, now)).toBe("expired");
    expect(invitationStatus({ acceptedAt: null, revokedAt: null, expiresAt: later }, now)).toBe("pending");
  });

  it("W4 expiry in whole days from 1 to 30, 7 by default", () => {
    expect(invitationExpiry(now).toISOString()).toBe("2026-12-08T12:00:00.000Z");
    expect(invitationExpiry(now, 1).toISOString()).toBe("2026-12-02T12:00:00.000Z");
    expect(() => invitationExpiry(now, 0)).toThrow(RangeError);
    expect(() => invitationExpiry(now, 31)).toThrow(RangeError);
    expect(() => invitationExpiry(now, 1.5)).toThrow(RangeError);
  });
});
