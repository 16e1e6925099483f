import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignColors, colorFor, PRESENCE_COLORS } from "./realtime";

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe("presence colours", () => {
  it.each(PRESENCE_COLORS)("C1 %s carries white text at WCAG AA (4.5:1)", (color) => {
    expect(contrast(color, "#ffffff")).toBeGreaterThanOrEqual(4.5);
  });

  it("C1 a person's colour is stable", () => {
    expect(colorFor("user-a")).toBe(colorFor("user-a"));
    expect(PRESENCE_COLORS).toContain(colorFor("user-a"));
  });

  it("C2 people in one room get distinct colours, the same whatever the order", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 24 }), { minLength: 1, maxLength: PRESENCE_COLORS.length }), (ids) => {
        const colors = assignColors(ids);
        expect(new Set(colors.values()).size).toBe(ids.length);
        expect(assignColors([...ids].reverse())).toEqual(colors);
      }),
    );
  });

  it("C2 two people whose own colours collide still differ", () => {
    // Find two ids with the same own colour, as Alice and Dana had.
    const first = "alice";
    let second = "dana";
    for (let i = 0; colorFor(second) !== colorFor(first); i++) second = `dana-${i}`;
    const colors = assignColors([first, second]);
    expect(colors.get(first)).not.toBe(colors.get(second));
  });

  it("C3 with more people than colours, each colour is used before any repeats", () => {
    const ids = Array.from({ length: PRESENCE_COLORS.length + 3 }, (_, i) => `person-${i}`);
    const counts = new Map<string, number>();
    for (const color of assignColors(ids).values()) counts.set(color, (counts.get(color) ?? 0) + 1);
    expect(counts.size).toBe(PRESENCE_COLORS.length);
    expect(Math.max(...counts.values())).toBe(2);
  });
});
