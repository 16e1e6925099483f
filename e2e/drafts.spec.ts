import { apiSave, createRecord, expect, getValues, openRecord, test } from "./fixtures";

test("a draft survives a reload and is saved afterwards", async ({ alice }, testInfo) => {
  const record = await createRecord(alice, testInfo);
  await openRecord(alice, record.id);
  await alice.getByLabel("Notes", { exact: true }).fill("Typed before the reload\nsecond line");
  await alice.getByLabel("Stock", { exact: true }).fill("12");
  await expect(alice.getByTestId("save-status")).toHaveText("Unsaved changes");

  await alice.reload();
  await expect(alice.getByRole("status").filter({ hasText: "Restored your unsaved changes" })).toBeVisible();
  await expect(alice.getByLabel("Notes", { exact: true })).toHaveValue("Typed before the reload\nsecond line");
  await expect(alice.getByLabel("Stock", { exact: true })).toHaveValue("12");
  await expect(alice.getByTestId("save-status")).toHaveText("Unsaved changes");

  await alice.keyboard.press("ControlOrMeta+s");
  await expect(alice.getByTestId("save-status")).toHaveText("Saved · v2");
  const { values } = await getValues(alice, record.id);
  expect(values.notes).toBe("Typed before the reload\nsecond line");
  expect(values.stock).toBe(12);

  await alice.reload();
  await expect(alice.getByTestId("save-status")).toHaveText("Saved · v2");
  await expect(alice.getByText("Restored your unsaved changes")).toHaveCount(0);
});

test("a draft whose record moved on is saved through the merge path", async ({ alice, dana }, testInfo) => {
  const record = await createRecord(alice, testInfo, { stock: 10 });
  await openRecord(alice, record.id);
  await alice.getByLabel("Stock", { exact: true }).fill("9");
  await expect(alice.getByTestId("save-status")).toHaveText("Unsaved changes");
  await alice.close(); // a closed tab

  await apiSave(dana, record.id, { stock: 8, sku: `${record.sku}-D` });

  const page = await alice.context().newPage();
  await openRecord(page, record.id);
  await expect(page.getByRole("status").filter({ hasText: "saving will merge" })).toBeVisible();
  await page.getByRole("button", { name: "Save" }).click();
  // A counter merges by itself: 10 → 9 and 10 → 8 give 7.
  await expect(page.getByRole("status").filter({ hasText: "merged" })).toBeVisible();
  await expect(page.getByTestId("save-status")).toHaveText("Saved · v3");
  const { values } = await getValues(page, record.id);
  expect(values.stock).toBe(7);
  expect(values.sku).toBe(`${record.sku}-D`);
});
