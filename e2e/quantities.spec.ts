// Quantities on the record page (issue 10): "−" and "+" are operations that never conflict, a
// bound or a licence refuses in words and keeps the change, and a typed count against someone's
// operations asks, showing what each meant.
import type { Page } from "@playwright/test";
import { createRecord, expect, getValues, openRecord, test } from "./fixtures";

async function ops(page: Page, recordId: string, field: string, add: number) {
  const response = await page.request.patch(`/api/records/${recordId}`, { data: { ops: { [field]: { add } } } });
  expect(response.status(), await response.text()).toBe(200);
}

test("two people each press − once on the same counter and save: the count goes down by two, no dialog", async ({ alice, dana }, testInfo) => {
  const record = await createRecord(alice, testInfo, { stock: 10 });
  await openRecord(alice, record.id);
  await openRecord(dana, record.id);
  await alice.getByRole("button", { name: "Minus one" }).click();
  await dana.getByRole("button", { name: "Minus one" }).click();
  await expect(alice.getByTestId("pending-stock")).toHaveText(/−1 to save/);
  await alice.getByRole("button", { name: "Save" }).click();
  await expect(alice.getByTestId("save-status")).toHaveText("Saved · v2");
  await dana.getByRole("button", { name: "Save" }).click();
  await expect(dana.getByTestId("save-status")).toHaveText("Saved · v3");
  await expect(dana.getByRole("dialog")).toHaveCount(0);
  expect((await getValues(alice, record.id)).values.stock).toBe(8);
  await expect(alice.getByLabel("Stock", { exact: true })).toHaveValue("8");
});

test("taking the last item twice: the second is told, in words, and keeps the change to adjust", async ({ alice, dana }, testInfo) => {
  const record = await createRecord(alice, testInfo, { stock: 1 });
  await openRecord(dana, record.id);
  await ops(alice, record.id, "stock", -1);
  await dana.getByRole("button", { name: "Minus one" }).click();
  await dana.getByRole("button", { name: "Save" }).click();
  await expect(dana.getByRole("alert").filter({ hasText: "Only 0 left" })).toBeVisible();
  await expect(dana.getByTestId("pending-stock")).toHaveText(/−1 to save/);
  expect((await getValues(dana, record.id)).values.stock).toBe(0);
  // Changing the intent (one came back in) and saving again works.
  await dana.getByRole("button", { name: "Plus one" }).click();
  await dana.getByRole("button", { name: "Plus one" }).click();
  await dana.getByRole("button", { name: "Save" }).click();
  await expect(dana.getByTestId("save-status")).toHaveText(/Saved · v/);
  expect((await getValues(dana, record.id)).values.stock).toBe(1);
});

test("a typed count against someone's − asks, saying what each meant; Apply both takes mine from theirs", async ({ alice, dana }, testInfo) => {
  const record = await createRecord(alice, testInfo, { stock: 7 });
  await openRecord(alice, record.id);
  await openRecord(dana, record.id);
  await dana.getByLabel("Stock", { exact: true }).fill("5");
  await dana.getByLabel("Name", { exact: true }).fill(`${record.name} (counted)`);
  // Alice took 2 while Dana was counting; her token stays behind because of a field she edits.
  await alice.getByLabel("SKU", { exact: true }).fill(`${record.sku}-A`);
  await alice.getByRole("button", { name: "Minus one" }).click();
  await alice.getByRole("button", { name: "Minus one" }).click();
  await dana.getByRole("button", { name: "Save" }).click();
  await expect(dana.getByTestId("save-status")).toHaveText("Saved · v2");
  await alice.getByRole("button", { name: "Save" }).click();
  const dialog = alice.getByRole("dialog", { name: /Resolve conflicts/ });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId("intents-stock")).toHaveText("Dana set 5; you took 2.");
  await dialog
    .getByRole("group", { name: "Stock" })
    .getByRole("button", { name: /Apply both/ })
    .click();
  await dialog.getByRole("button", { name: "Save merged" }).click();
  await expect(dialog).toBeHidden();
  const { values } = await getValues(alice, record.id);
  expect(values.stock).toBe(3);
  expect(values.sku).toBe(`${record.sku}-A`);
});

test("a licence across records: the usage bar, a refusal that says how many are left, and the bar moving live", async ({ alice, dana }) => {
  const me = await dana.request.get("/api/me");
  const seats = ((await me.json()) as { collections: { id: string; name: string; limits: { used: number; max: number }[] }[] }).collections.find(
    (c) => c.name === "Team seats",
  )!;
  const list = await dana.request.get(`/api/collections/${seats.id}/records?limit=1`);
  const team = ((await list.json()) as { records: { id: string; values: { seats: number } }[] }).records[0]!;
  await alice.goto(`/collections/${seats.id}`);
  const bar = alice.getByTestId("limit-seats");
  const usedNow = async () =>
    ((await (await dana.request.get(`/api/collections/${seats.id}`)).json()) as { limits: { used: number; max: number }[] }).limits[0]!;
  const before = await usedNow();
  await expect(bar).toContainText(`${before.used} / ${before.max} seats`);

  await openRecord(dana, team.id);
  const left = before.max - before.used;
  await expect(dana.getByTestId("note-seats")).toHaveText(`${left} seats left of ${before.max} across Team seats`);
  await dana.getByLabel("Adjust by").fill(String(left + 2));
  await dana.getByRole("button", { name: "Adjust by" }).click();
  await dana.getByRole("button", { name: "Save" }).click();
  await expect(dana.getByRole("alert").filter({ hasText: `${left} seats left of ${before.max}; this change needs ${left + 2}` })).toBeVisible();
  // The change is kept: taking 2 back leaves exactly what fits.
  await dana.getByLabel("Adjust by").fill("-2");
  await dana.getByRole("button", { name: "Adjust by" }).click();
  await dana.getByRole("button", { name: "Save" }).click();
  await expect(dana.getByTestId("save-status")).toHaveText(/Saved · v/);
  await expect(bar).toContainText(`${before.max} / ${before.max} seats`);
  // Put the seats back for the other tests.
  await ops(dana, team.id, "seats", -left);
  await expect(bar).toContainText(`${before.used} / ${before.max} seats`);
});
