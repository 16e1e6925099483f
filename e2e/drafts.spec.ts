import { createRecord, expect, getValues, openRecord, test } from "./fixtures";

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

test("a draft whose record moved on keeps its pending − and is saved onto the newer version", async ({ alice, dana }, testInfo) => {
  const record = await createRecord(alice, testInfo, { stock: 10 });
  await openRecord(alice, record.id);
  await alice.getByRole("button", { name: "Minus one" }).click();
  await alice.getByLabel("Notes", { exact: true }).fill("Counted twice");
  await expect(alice.getByTestId("save-status")).toHaveText("Unsaved changes");
  await alice.close(); // a closed tab

  // Meanwhile Dana takes 2 and changes the SKU.
  const current = await dana.request.get(`/api/records/${record.id}`);
  const response = await dana.request.patch(`/api/records/${record.id}`, {
    data: { values: { sku: `${record.sku}-D` }, ops: { stock: { add: -2 } } },
    headers: { "if-match": current.headers().etag ?? "" },
  });
  expect(response.status()).toBe(200);

  const page = await alice.context().newPage();
  await openRecord(page, record.id);
  await expect(page.getByRole("status").filter({ hasText: "moved on to v2 meanwhile" })).toBeVisible();
  // The pending − is relative to whatever the count is: 8 now, so it shows 7.
  await expect(page.getByTestId("pending-stock")).toHaveText(/−1 to save/);
  await expect(page.getByLabel("Stock", { exact: true })).toHaveValue("7");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("save-status")).toHaveText("Saved · v3");
  const { values } = await getValues(page, record.id);
  expect(values.stock).toBe(7);
  expect(values.sku).toBe(`${record.sku}-D`);
  expect(values.notes).toBe("Counted twice");
});

test("a draft whose record moved on underneath an edited field is saved through the merge path", async ({ alice, dana }, testInfo) => {
  const record = await createRecord(alice, testInfo, { tags: ["popular"] });
  await openRecord(alice, record.id);
  await alice.getByRole("group", { name: "Tags" }).getByRole("button", { name: "fragile" }).click();
  await expect(alice.getByTestId("save-status")).toHaveText("Unsaved changes");
  await alice.close();

  const current = await dana.request.get(`/api/records/${record.id}`);
  const response = await dana.request.patch(`/api/records/${record.id}`, {
    data: { values: { tags: ["popular", "bulky"] } },
    headers: { "if-match": current.headers().etag ?? "" },
  });
  expect(response.status()).toBe(200);

  const page = await alice.context().newPage();
  await openRecord(page, record.id);
  await expect(page.getByRole("status").filter({ hasText: "saving will merge" })).toBeVisible();
  await page.getByRole("button", { name: "Save" }).click();
  // Tags merge by themselves: both additions are kept.
  await expect(page.getByRole("status").filter({ hasText: "merged" })).toBeVisible();
  await expect(page.getByTestId("save-status")).toHaveText("Saved · v3");
  expect((await getValues(page, record.id)).values.tags).toEqual(["popular", "bulky", "fragile"]);
});
