import { describe, expect, it } from "vitest";
import { dialogOutcome } from "./dialog-outcome";

describe("the merge dialog's reported outcome", () => {
  it("all mine, all theirs, mixed, edited", () => {
    expect(dialogOutcome({ a: "mine", b: "mine" })).toBe("mine");
    expect(dialogOutcome({ a: "theirs" })).toBe("theirs");
    expect(dialogOutcome({ a: "mine", b: "theirs" })).toBe("both");
    expect(dialogOutcome({ a: "both" })).toBe("both");
    expect(dialogOutcome({ a: "mine", b: { edit: "typed" } })).toBe("edit");
    expect(dialogOutcome({ a: { hunks: ["mine"] } })).toBe("edit");
  });
});
