import { describe, expect, it } from "vitest";
import { saveKey } from "./client";

describe("saveKey: the Idempotency-Key of a save", () => {
  it("is the same for the same save, so a retry is answered once", () => {
    expect(saveKey("r1", '"3-ab"', { values: { stock: 4 } })).toBe(saveKey("r1", '"3-ab"', { values: { stock: 4 } }));
  });

  it("differs when the record, the token or the body differs", () => {
    const key = saveKey("r1", '"3-ab"', { values: { stock: 4 } });
    expect(saveKey("r2", '"3-ab"', { values: { stock: 4 } })).not.toBe(key);
    expect(saveKey("r1", '"4-cd"', { values: { stock: 4 } })).not.toBe(key);
    expect(saveKey("r1", '"3-ab"', { values: { stock: 5 } })).not.toBe(key);
  });

  it("fits the server's rule (1 to 255 visible ASCII characters)", () => {
    expect(saveKey("r1", '"3-ab"', { values: { note: "ünïcode 😀" } })).toMatch(/^[\x21-\x7e]{1,255}$/);
  });
});
