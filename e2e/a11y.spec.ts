// An automated accessibility check (axe-core) of every page, in light and dark mode: no serious or
// critical violations of WCAG 2.1 A/AA, colour contrast included.
import type { Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { expectAccessible } from "./axe";
import { apiSave, createRecord, expect, keepScreenshot, openRecord, signInContext, test } from "./fixtures";

for (const scheme of ["light", "dark"] as const) {
  test.describe(`${scheme} mode`, () => {
    test.beforeEach(async ({ alice, dana }) => {
      await alice.emulateMedia({ colorScheme: scheme });
      await dana.emulateMedia({ colorScheme: scheme });
    });

    test("sign-in, collections, table and new record", async ({ alice, browser, baseURL }, testInfo) => {
      test.slow(); // axe takes a few seconds per page on a busy machine
      const record = await createRecord(alice, testInfo, { price: 12, tags: ["fragile"] });
      const context = await browser.newContext({ baseURL, colorScheme: scheme });
      const anonymous = await context.newPage();
      await anonymous.goto("/sign-in");
      await expect(anonymous.getByRole("button", { name: /Sign in/ })).toBeVisible();
      await expectAccessible(anonymous, "sign-in");
      await context.close();

      await alice.goto("/");
      await expect(alice.getByRole("link", { name: /Inventory/ })).toBeVisible();
      await expectAccessible(alice, "collections");
      await alice.goto(`/collections/${record.collectionId}`);
      await expect(alice.getByRole("table")).toBeVisible();
      await expect(alice.getByRole("row").nth(1)).toBeVisible();
      await expectAccessible(alice, "table");
      await alice.goto(`/collections/${record.collectionId}/new`);
      await alice.getByRole("button", { name: "Create record" }).click();
      await expect(alice.getByText("Required", { exact: true }).first()).toBeVisible();
      await expectAccessible(alice, "new record with errors");
    });

    test("record, history, restore and error pages", async ({ alice, dana }, testInfo) => {
      test.slow();
      const record = await createRecord(alice, testInfo, {
        price: 12,
        notes: "one\ntwo",
        description: '<p>Rich <strong>text</strong> with <a href="https://example.com">a link</a>.</p>',
        tags: ["fragile"],
      });
      await apiSave(alice, record.id, { price: 13, category: "Cables" });
      await openRecord(dana, record.id);
      await openRecord(alice, record.id);
      await expect(alice.getByRole("list", { name: "Also viewing" })).toBeVisible();
      await alice.getByLabel("Name", { exact: true }).fill("x".repeat(190));
      await expect(alice.getByLabel("Description", { exact: true })).toContainText("Rich");
      await expectAccessible(alice, "record");

      await alice.goto(`/records/${record.id}/history`);
      await expect(alice.getByRole("list", { name: "Versions" }).getByRole("button")).toHaveCount(2);
      await expectAccessible(alice, "history");
      await alice.getByRole("list", { name: "Versions" }).getByRole("button", { name: /^v1/ }).click();
      await expectAccessible(alice, "history, first version");
      await alice.getByRole("button", { name: "Restore this version" }).click();
      await expect(alice.getByRole("dialog", { name: "Restore v1?" }).getByRole("listitem").first()).toBeVisible();
      await expectAccessible(alice, "restore confirmation");

      await alice.goto(`/records/${randomUUID()}`);
      await expect(alice.getByText("There is no such record")).toBeVisible();
      await expectAccessible(alice, "record not found");
      await alice.goto("/no/such/page");
      await expectAccessible(alice, "404");
    });

    test("the merge dialog and a viewer's read-only record", async ({ alice, dana, victor }, testInfo) => {
      test.slow();
      await victor.emulateMedia({ colorScheme: scheme });
      const record = await createRecord(alice, testInfo, { price: 10, notes: "a\nb\nc" });
      await openRecord(alice, record.id);
      await openRecord(dana, record.id);
      await dana.getByLabel("Price", { exact: true }).fill("8");
      await dana.getByLabel("Notes", { exact: true }).fill("a\nB by Dana\nc");
      await alice.getByLabel("Price", { exact: true }).fill("9");
      await alice.getByLabel("Notes", { exact: true }).fill("a\nB by Alice\nc");
      await alice.getByRole("button", { name: "Save" }).click();
      await expect(alice.getByTestId("save-status")).toHaveText("Saved · v2");
      await expect(dana.getByTestId("underneath-price")).toBeVisible();
      await expectAccessible(dana, "record with changed-underneath markers");
      await dana.getByRole("button", { name: "Save" }).click();
      const dialog = dana.getByRole("dialog", { name: /Resolve conflicts/ });
      await expect(dialog).toBeVisible();
      await dialog.getByRole("group", { name: "Price" }).getByRole("button", { name: "Keep mine" }).click();
      await expectAccessible(dana, "merge dialog");

      await openRecord(victor, record.id);
      await expect(victor.getByText(/view access/)).toBeVisible();
      await expectAccessible(victor, "read-only record");
    });
  });
}

/** WCAG contrast of an element's text against the first opaque background behind it, read through a canvas. */
async function contrastOf(page: Page, selector: string): Promise<number> {
  return page
    .locator(selector)
    .first()
    .evaluate((element) => {
      const canvas = document.createElement("canvas").getContext("2d", { willReadFrequently: true })!;
      const rgba = (css: string) => {
        canvas.clearRect(0, 0, 1, 1);
        canvas.fillStyle = css;
        canvas.fillRect(0, 0, 1, 1);
        return [...canvas.getImageData(0, 0, 1, 1).data] as [number, number, number, number];
      };
      let background = [255, 255, 255, 255];
      for (let node: Element | null = element; node; node = node.parentElement) {
        const color = getComputedStyle(node).backgroundColor;
        if (color && color !== "transparent" && !/rgba\(.*, 0\)$/.test(color)) {
          background = rgba(color);
          break;
        }
      }
      const luminance = ([r, g, b]: number[]) =>
        [r!, g!, b!]
          .map((c) => c / 255)
          .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
          .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i]!, 0);
      const [fg, bg] = [luminance(rgba(getComputedStyle(element).color)), luminance(background)];
      return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    });
}

test("the “required” hint and the timeline's dates are readable (AA, 4.5:1), in both schemes", async ({ alice }, testInfo) => {
  const record = await createRecord(alice, testInfo);
  for (const scheme of ["light", "dark"] as const) {
    await alice.emulateMedia({ colorScheme: scheme });
    await alice.goto(`/collections/${record.collectionId}/new`);
    await expect(alice.getByText("required", { exact: true }).first()).toBeVisible();
    expect(await contrastOf(alice, "form span:text-is('required')"), `${scheme}: required`).toBeGreaterThanOrEqual(4.5);
    await alice.goto(`/records/${record.id}/history`);
    const date = alice.getByRole("list", { name: "Versions" }).locator("button span.ml-auto");
    await expect(date).toBeVisible();
    expect(await contrastOf(alice, "ol[aria-label=Versions] button span.ml-auto"), `${scheme}: timeline date`).toBeGreaterThanOrEqual(4.5);
  }
});

test("dark mode follows the system setting", async ({ browser, baseURL }, testInfo) => {
  const page = await signInContext(browser, baseURL!, "alice", { colorScheme: "dark" });
  try {
    const record = await createRecord(page, testInfo);
    await openRecord(page, record.id);
    // Relative luminance of an element's colour, read through a canvas (computed colours may be oklch()).
    const luminanceOf = (target: "body" | "form" | "h1", property: "backgroundColor" | "color") =>
      page.evaluate(
        ([selector, prop]) => {
          const element = selector === "form" ? document.querySelector("form[aria-label=Record]")! : document.querySelector(selector)!;
          const context = document.createElement("canvas").getContext("2d")!;
          context.fillStyle = getComputedStyle(element)[prop as "color"];
          context.fillRect(0, 0, 1, 1);
          const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
          return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
        },
        [target, property] as const,
      );
    expect(await luminanceOf("body", "backgroundColor")).toBeLessThan(0.15);
    expect(await luminanceOf("form", "backgroundColor")).toBeLessThan(0.2);
    expect(await luminanceOf("h1", "color")).toBeGreaterThan(0.8);
    await keepScreenshot(page, testInfo, "record-dark");
    await page.emulateMedia({ colorScheme: "light" });
    expect(await luminanceOf("body", "backgroundColor")).toBeGreaterThan(0.9);
    expect(await luminanceOf("h1", "color")).toBeLessThan(0.2);
  } finally {
    await page.context().close();
  }
});
