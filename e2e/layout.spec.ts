// Every screen on a phone: nothing wider than the viewport (no sideways scrolling) at 360 and
// 390 px, the merge dialog stacks base / mine / theirs there; screenshots at 390 and 1280 px of the
// record, history, merge dialog and table go to e2e/artifacts/ (kept by CI, not committed).
import type { Page } from "@playwright/test";
import { expectFits } from "./fits";
import { apiSave, createRecord, expect, keepScreenshot, openRecord, test } from "./fixtures";

/** Two people on one record, both editing the name and the price, Dana's save refused: the dialog opens. */
async function openMergeDialog(alice: Page, dana: Page, recordId: string) {
  await openRecord(alice, recordId);
  await openRecord(dana, recordId);
  await dana.getByLabel("Name", { exact: true }).fill("A much longer name typed by Dana on her phone");
  await dana.getByLabel("Price", { exact: true }).fill("8");
  await dana.getByLabel("Notes", { exact: true }).fill("Shelf B2\nDana's line");
  await alice.getByLabel("Name", { exact: true }).fill("Alice's name");
  await alice.getByLabel("Price", { exact: true }).fill("9");
  await alice.getByLabel("Notes", { exact: true }).fill("Shelf B2\nAlice's line");
  await alice.getByRole("button", { name: "Save" }).click();
  await expect(alice.getByTestId("save-status")).toHaveText("Saved · v2");
  await expect(dana.getByTestId("underneath-name")).toBeVisible();
  await dana.getByRole("button", { name: "Save" }).click();
  const dialog = dana.getByRole("dialog", { name: /Resolve conflicts/ });
  await expect(dialog).toBeVisible();
  return dialog;
}

for (const width of [360, 390]) {
  test.describe(`on a ${width} px phone`, () => {
    test.beforeEach(async ({ alice, dana }) => {
      await alice.setViewportSize({ width, height: 800 });
      await dana.setViewportSize({ width, height: 800 });
    });

    test("the record with someone else present, its history and the table fit", async ({ alice, dana }, testInfo) => {
      const record = await createRecord(alice, testInfo, { price: 12.5, notes: "one\ntwo", description: "<p>Some <strong>rich</strong> text.</p>" });
      await apiSave(alice, record.id, { stock: 3 });
      await openRecord(dana, record.id);
      await openRecord(alice, record.id);
      await expect(alice.getByRole("list", { name: "Also viewing" })).toBeVisible();
      await expectFits(alice, "the record page");
      await expect(alice.getByRole("button", { name: "History" }).or(alice.getByRole("link", { name: "History" }))).toBeInViewport();
      await alice.getByLabel("Name", { exact: true }).fill(`${record.name} edited`);
      await expect(alice.getByRole("button", { name: "Save" })).toBeInViewport();
      if (width === 390) await keepScreenshot(alice, testInfo, "record-390");

      await alice.goto(`/records/${record.id}/history`);
      await expect(alice.getByRole("list", { name: "Versions" }).getByRole("button")).toHaveCount(2);
      await expect(alice.getByLabel("Author")).toBeInViewport();
      await expectFits(alice, "the history page");
      if (width === 390) await keepScreenshot(alice, testInfo, "history-390");

      await alice.goto(`/collections/${record.collectionId}`);
      await expect(alice.getByRole("table")).toBeVisible();
      await expectFits(alice, "the table");
      if (width === 390) await keepScreenshot(alice, testInfo, "table-390");

      await alice.goto("/");
      await expect(alice.getByRole("link", { name: /Inventory/ })).toBeVisible();
      await expectFits(alice, "the collections page");
      await alice.goto(`/collections/${record.collectionId}/new`);
      await expect(alice.getByRole("button", { name: "Create record" })).toBeVisible();
      await expectFits(alice, "the new-record form");
    });

    test("the merge dialog fits and stacks base, mine and theirs", async ({ alice, dana }, testInfo) => {
      const record = await createRecord(alice, testInfo, { price: 10, notes: "Shelf B2\nfirst" });
      const dialog = await openMergeDialog(alice, dana, record.id);
      await expectFits(dana, "the merge dialog");
      const name = dialog.getByRole("group", { name: "Name" });
      const boxes = await name
        .locator("[data-side]")
        .evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => ({ x: Math.round(r.x), y: Math.round(r.y), w: Math.round(r.width) })));
      expect(boxes).toHaveLength(3);
      // One column: the same left edge, each below the one before.
      expect(new Set(boxes.map((b) => b.x)).size).toBe(1);
      expect(boxes[0]!.y).toBeLessThan(boxes[1]!.y);
      expect(boxes[1]!.y).toBeLessThan(boxes[2]!.y);
      await expect(dialog.getByRole("button", { name: "Save merged" })).toBeVisible();
      if (width === 390) await keepScreenshot(dana, testInfo, "merge-dialog-390", false);
    });
  });
}

test("1280 px: the record, history, merge dialog and table, with screenshots", async ({ alice, dana }, testInfo) => {
  const record = await createRecord(alice, testInfo, { price: 10, notes: "Shelf B2\nfirst", description: "<p>Some <strong>rich</strong> text.</p>" });
  const dialog = await openMergeDialog(alice, dana, record.id);
  await expectFits(dana, "the merge dialog");
  // Side by side on a wide screen.
  const boxes = await dialog
    .getByRole("group", { name: "Name" })
    .locator("[data-side]")
    .evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().y)));
  expect(new Set(boxes).size).toBe(1);
  await keepScreenshot(dana, testInfo, "merge-dialog-1280", false);
  await dana.keyboard.press("Escape");
  await expectFits(alice, "the record page");
  await keepScreenshot(alice, testInfo, "record-1280");
  await alice.goto(`/records/${record.id}/history`);
  await expect(alice.getByRole("list", { name: "Versions" }).getByRole("button")).toHaveCount(2);
  await expectFits(alice, "the history page");
  await keepScreenshot(alice, testInfo, "history-1280");
  await alice.goto(`/collections/${record.collectionId}`);
  await expect(alice.getByRole("table")).toBeVisible();
  await expectFits(alice, "the table");
  await keepScreenshot(alice, testInfo, "table-1280");
});
