import { describe, expect, it } from "vitest";
import { incomingStep } from "./incoming";

const event = (version: number, full = true) => ({
  version,
  ...(full ? { values: { stock: 1 }, etag: `"r:${version}"`, updatedAt: "2026-12-01T10:00:00.000Z" } : {}),
});

describe("a save event on the record page", () => {
  it("never takes the page back: an older or the same version is ignored", () => {
    expect(incomingStep(event(4), 5)).toBe("ignore");
    expect(incomingStep(event(5), 5)).toBe("ignore");
  });

  it("applies the next version from the event itself", () => {
    expect(incomingStep(event(6), 5)).toBe("apply");
  });

  it("fetches the record after a gap (v5, then v7), or when the event lacks what it needs", () => {
    expect(incomingStep(event(7), 5)).toBe("fetch");
    expect(incomingStep(event(6, false), 5)).toBe("fetch");
  });

  it("fetches when the page has no version yet", () => {
    expect(incomingStep(event(1), 0)).toBe("fetch");
  });
});
