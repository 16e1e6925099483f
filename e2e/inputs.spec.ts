// Input is never silently changed: numbers are read by the user's locale or refused with a message,
// text over its limit is counted and refused (never cut), focus goes to the first error, and numbers
// are shown in the field's display format everywhere.
import { createRecord, expect, getValues, openRecord, signInContext, test } from "./fixtures";

test("“12,50” in English is refused with a message, never saved as 1250", async ({ alice }, testInfo) => {
  const record = await createRecord(alice, testInfo, { price: 3 });
  await openRecord(alice, record.id);
  const price = alice.getByLabel("Price", { exact: true });
  await price.fill("12,50");
  await alice.getByLabel("SKU", { exact: true }).focus();
  await expect(alice.getByText("“,” separates thousands here; use “.” for decimals (as in 12.5)")).toBeVisible();
  await alice.getByRole("button", { name: "Save" }).click();
  await expect(alice.getByRole("alert").filter({ hasText: "needs attention" })).toBeVisible();
  await expect(price).toBeFocused();
  await expect(price).toHaveValue("12,50"); // what was typed stays
  expect((await getValues(alice, record.id)).values.price).toBe(3);

  await price.fill("1,250.5");
  await expect(alice.getByText("Read as 1,250.5")).toBeVisible();
  await price.fill("12.50");
  await alice.getByRole("button", { name: "Save" }).click();
  await expect(alice.getByTestId("save-status")).toHaveText("Saved · v2");
  expect((await getValues(alice, record.id)).values.price).toBe(12.5);
});

test("in German, “12,50” is 12.5, and prices read the German way", async ({ alice, browser, baseURL }, testInfo) => {
  const record = await createRecord(alice, testInfo, { price: 3 });
  const page = await signInContext(browser, baseURL!, "alice", { locale: "de-DE" });
  try {
    await openRecord(page, record.id);
    await page.getByLabel("Price", { exact: true }).fill("12,50");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByTestId("save-status")).toHaveText("Saved · v2");
    expect((await getValues(alice, record.id)).values.price).toBe(12.5);
    await page.goto(`/records/${record.id}/history?version=2`);
    await expect(page.getByRole("listitem", { name: "Price" })).toContainText("12,50 $");
  } finally {
    await page.context().close();
  }
});

test("pasting past a text's limit is counted and refused, not cut", async ({ alice }, testInfo) => {
  const record = await createRecord(alice, testInfo);
  await openRecord(alice, record.id);
  const name = alice.getByLabel("Name", { exact: true });
  await name.fill("x".repeat(170));
  await expect(alice.getByText("170 / 200", { exact: true })).toBeVisible();
  const long = "y".repeat(250);
  await name.fill(long);
  await expect(name).toHaveValue(long);
  await expect(alice.getByText("250 / 200 · 50 too many")).toBeVisible();
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await alice.getByLabel("Notes", { exact: true }).focus();
  await alice.getByRole("button", { name: "Save" }).click();
  await expect(alice.getByText("Must be at most 200 characters")).toBeVisible();
  await expect(name).toBeFocused();
  expect((await getValues(alice, record.id)).values.name).toBe(record.name);
});

test("New record: a value below the minimum gets a message and the focus, not the browser's bubble", async ({ alice }, testInfo) => {
  const record = await createRecord(alice, testInfo); // only to learn the Inventory id
  await alice.goto(`/collections/${record.collectionId}/new`);
  await alice.getByLabel("Name", { exact: true }).fill(`Below minimum ${Date.now()}`);
  await alice.getByLabel("SKU", { exact: true }).fill(`BM-${Date.now()}`);
  const stock = alice.getByLabel("Stock", { exact: true });
  await stock.fill("-1");
  await alice.getByRole("button", { name: "Create record" }).click();
  await expect(alice.getByText("Must be at least 0")).toBeVisible();
  await expect(stock).toBeFocused();
  await expect(alice).toHaveURL(/\/new$/);
  // Not hidden under the sticky header.
  const header = await alice.locator("header").first().boundingBox();
  const field = await stock.boundingBox();
  expect(field!.y).toBeGreaterThanOrEqual(header!.y + header!.height);
  await stock.fill("2");
  await alice.getByRole("button", { name: "Create record" }).click();
  await expect(alice).toHaveURL(/\/records\//);
});

test("numbers show in the field's format in the table, the form and history, not as floats", async ({ alice }, testInfo) => {
  const record = await createRecord(alice, testInfo, { price: 153.29999999999998 });
  await alice.goto(`/collections/${record.collectionId}`);
  await alice.getByLabel("Search", { exact: true }).fill(record.name);
  await expect(alice.getByRole("row")).toHaveCount(2);
  await expect(alice.getByRole("row").nth(1)).toContainText("$153.30");
  await expect(alice.getByRole("row").nth(1)).not.toContainText("153.29999");
  await openRecord(alice, record.id);
  await expect(alice.getByLabel("Price", { exact: true })).toHaveValue("153.3");
  await alice.goto(`/records/${record.id}/history?version=1`);
  await expect(alice.getByRole("region", { name: /Version 1/ })).toContainText("$153.30");
});
