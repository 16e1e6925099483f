// The axe-core check every accessibility test runs: no serious or critical violations of WCAG 2.1
// A/AA, colour contrast included.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

export async function expectAccessible(page: Page, what: string) {
  // Let transitions and the flash of a live change settle; axe reads the colours as they are now.
  await page.evaluate(() =>
    document
      .getAnimations()
      .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
      .forEach((a) => a.finish()),
  );
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n${v.nodes
          .slice(0, 4)
          .map((n) => `  ${n.target.join(" ")} — ${n.failureSummary?.split("\n").slice(1, 2).join("")}`)
          .join("\n")}`,
    );
  expect(serious, `${what}: accessibility violations`).toEqual([]);
  // The check really looked at colours (axe can read the palette), it did not skip them.
  expect(
    results.passes.some((p) => p.id === "color-contrast") || results.incomplete.every((i) => i.id !== "color-contrast"),
    `${what}: contrast not checked`,
  ).toBe(true);
}
