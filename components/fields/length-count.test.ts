import { describe, expect, it } from "vitest";
import type { FieldDef } from "@/lib/types";
import { lengthCount } from "./length-count";

const name: FieldDef = { key: "name", label: "Name", type: "text", options: { maxLength: 200 } };

describe("lengthCount: a live count near the limit", () => {
  it("stays out of the way far from the limit", () => {
    expect(lengthCount(name, "a".repeat(159))).toBeNull();
    expect(lengthCount(name, null)).toBeNull();
    expect(lengthCount({ type: "number" }, 5)).toBeNull();
  });

  it("counts near the limit and says how much is over", () => {
    expect(lengthCount(name, "a".repeat(160))).toEqual({ text: "160 / 200", isOver: false });
    expect(lengthCount(name, "a".repeat(200))).toEqual({ text: "200 / 200", isOver: false });
    expect(lengthCount(name, "a".repeat(250))).toEqual({ text: "250 / 200 · 50 too many", isOver: true });
  });

  it("counts characters as people do (an emoji is one)", () => {
    expect(lengthCount(name, "😀".repeat(200))).toEqual({ text: "200 / 200", isOver: false });
  });

  it("uses the type's default limit without a maxLength", () => {
    expect(lengthCount({ type: "text" }, "a".repeat(1001))).toMatchObject({ isOver: true, text: "1001 / 1000 · 1 too many" });
  });
});
