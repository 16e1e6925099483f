// History tells the truth: every kind of version opens (a rich-text checkpoint crashed the page),
// a checkpoint names everyone who typed, the first version reads like the form, a deleted record's
// history stays readable, and restoring shows what will change and asks first.
import { apiSave, createRecord, expect, getValues, openRecord, PEOPLE, test } from "./fixtures";

test("a rich-text checkpoint opens in history and names everyone who typed", async ({ alice, dana }, testInfo) => {
  const record = await createRecord(alice, testInfo, { description: "<p>Start.</p>" });
  await openRecord(alice, record.id);
  await openRecord(dana, record.id);
  const aliceText = alice.getByLabel("Description", { exact: true });
  const danaText = dana.getByLabel("Description", { exact: true });
  await expect(danaText).toHaveText("Start.");
  await aliceText.click();
  await alice.keyboard.press("ControlOrMeta+End");
  await alice.keyboard.type(" Alice was here.");
  await danaText.click();
  await dana.keyboard.press("ControlOrMeta+End");
  await dana.keyboard.type(" Dana too.");
  // The live text is checkpointed into history after a pause in typing.
  await expect.poll(async () => (await getValues(alice, record.id)).version, { timeout: 20_000 }).toBeGreaterThan(1);

  await alice.goto(`/records/${record.id}/history`);
  const versions = alice.getByRole("list", { name: "Versions" });
  const checkpoint = versions.getByRole("button", { name: /^v2/ });
  await expect(checkpoint).toContainText("live text");
  await expect(checkpoint).toContainText(`${PEOPLE.alice.name} and ${PEOPLE.dana.name}`);
  await checkpoint.click();
  await expect(alice.getByRole("heading", { name: /Version 2/ })).toBeVisible();
  await expect(alice.getByText(`Rich text typed live by ${PEOPLE.alice.name} and ${PEOPLE.dana.name}.`)).toBeVisible();
  await expect(alice.getByRole("region", { name: /Version 2/ }).getByRole("listitem", { name: "Description" })).toContainText("Dana too.");
  await expect(alice.getByText("Something went wrong")).toHaveCount(0);
});

test("the first version lists the initial values in form order, rich text formatted", async ({ alice }, testInfo) => {
  const record = await createRecord(alice, testInfo, { price: 12.5, stock: 4, notes: "Line one", description: "<p>Made of <strong>oak</strong>.</p>" });
  await alice.goto(`/records/${record.id}/history?version=1`);
  const detail = alice.getByRole("region", { name: /Version 1/ });
  await expect(detail.getByText("Initial values")).toBeVisible();
  const labels = await detail.locator("dt").allTextContents();
  expect(labels).toEqual(["Name", "SKU", "Stock", "Price", "Category", "Tags", "Restock on", "Discontinued", "Owner", "Notes", "Description"]);
  await expect(detail.locator("dd").nth(3)).toHaveText("$12.50");
  // Rendered, not markup: the word is bold and no tag shows.
  await expect(detail.locator("strong", { hasText: "oak" })).toBeVisible();
  await expect(detail).not.toContainText("<p>");
  await expect(detail).not.toContainText("→");
});

test("a deleted record's history opens; the editor who had it open is not told she has view access", async ({ alice, dana }, testInfo) => {
  const record = await createRecord(alice, testInfo, { price: 3 });
  await apiSave(alice, record.id, { price: 4 });
  await openRecord(dana, record.id);
  const current = await alice.request.get(`/api/records/${record.id}`);
  const deleted = await alice.request.delete(`/api/records/${record.id}`, { headers: { "if-match": current.headers().etag ?? "" } });
  expect(deleted.ok(), await deleted.text()).toBeTruthy();

  // "by Alice" when the live event reaches her; a plain "deleted" when her page finds out on joining.
  await expect(dana.getByText(/This record was deleted( by Alice)?\. It is read-only now/)).toBeVisible();
  await expect(dana.getByText(/view access/)).toHaveCount(0);
  await dana.getByRole("link", { name: "See its history" }).click();

  await expect(dana).toHaveURL(new RegExp(`/records/${record.id}/history`));
  await expect(dana.getByText(/This record was deleted/)).toBeVisible();
  const versions = dana.getByRole("list", { name: "Versions" });
  await expect(versions.getByRole("button")).toHaveCount(3);
  await expect(versions.getByRole("button", { name: /^v3.*delete/s })).toBeVisible();
  await versions.getByRole("button", { name: /^v2/ }).click();
  await expect(dana.getByRole("heading", { name: /Version 2/ })).toBeVisible();
  await expect(dana.getByRole("button", { name: "Restore this version" })).toHaveCount(0);

  // Opening the deleted record itself says so and leads to its history.
  await dana.goto(`/records/${record.id}`);
  await expect(dana.getByText("This record was deleted")).toBeVisible();
  await expect(dana.getByRole("link", { name: "See its history" })).toBeVisible();
});

test("Restore this version shows what will change against the current version and asks first", async ({ alice }, testInfo) => {
  const record = await createRecord(alice, testInfo, { price: 5, notes: "first notes" });
  await apiSave(alice, record.id, { price: 6 }); // v2
  await apiSave(alice, record.id, { notes: "later notes" }); // v3: another field, edited after v2

  await alice.goto(`/records/${record.id}/history`);
  await alice.getByRole("list", { name: "Versions" }).getByRole("button", { name: /^v1/ }).click();
  await alice.getByRole("button", { name: "Restore this version" }).click();
  const confirm = alice.getByRole("dialog", { name: "Restore v1?" });
  await expect(confirm).toContainText("Compared with the current version (v3), these 2 fields change");
  await expect(confirm.getByRole("listitem", { name: "Price" })).toContainText("$6.00");
  await expect(confirm.getByRole("listitem", { name: "Price" })).toContainText("$5.00");
  // A word diff: "later" goes, "first" comes back.
  await expect(confirm.getByRole("listitem", { name: "Notes" }).locator("del")).toHaveText("later");
  await expect(confirm.getByRole("listitem", { name: "Notes" }).locator("ins")).toHaveText("first");

  // Cancel writes nothing.
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  expect((await getValues(alice, record.id)).version).toBe(3);

  await alice.getByRole("button", { name: "Restore this version" }).click();
  await alice.getByRole("dialog", { name: "Restore v1?" }).getByRole("button", { name: "Restore v1" }).click();
  await expect(alice.getByRole("status").filter({ hasText: "Restored v1" })).toContainText("Saved as v4");
  expect((await getValues(alice, record.id)).values).toMatchObject({ price: 5, notes: "first notes" });
});
