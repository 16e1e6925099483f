import { createRecord, expect, test } from "./fixtures";

test("the collection table searches and opens a record", async ({ alice }, testInfo) => {
  const record = await createRecord(alice, testInfo);
  await alice.goto(`/collections/${record.collectionId}`);
  await alice.getByLabel("Search", { exact: true }).fill(record.name);
  const link = alice.getByRole("link", { name: record.name });
  await expect(link).toBeVisible();
  await expect(alice.getByRole("row")).toHaveCount(2); // header + the one match
  await link.click();
  await expect(alice.getByLabel("Name", { exact: true })).toHaveValue(record.name);
});

test("New record creates a record and opens it", async ({ alice }, testInfo) => {
  const record = await createRecord(alice, testInfo); // only to learn the Inventory id
  await alice.goto(`/collections/${record.collectionId}`);
  await alice.getByRole("button", { name: "New record" }).click();
  await alice.getByRole("button", { name: "Create record" }).click();
  // The error itself, not the "required" hint every required field shows.
  await expect(alice.getByText("Required", { exact: true }).first()).toBeVisible();
  await expect(alice).toHaveURL(/\/new$/);
  const name = `Created in the UI ${testInfo.workerIndex}-${Date.now()}`;
  await alice.getByLabel("Name", { exact: true }).fill(name);
  await alice.getByLabel("SKU", { exact: true }).fill(`UI-${Date.now()}`);
  await alice.getByLabel("Category", { exact: true }).selectOption("Cables");
  await alice.getByRole("button", { name: "fragile" }).click();
  await alice.getByRole("button", { name: "Create record" }).click();
  await expect(alice).toHaveURL(/\/records\//);
  await expect(alice.getByTestId("save-status")).toHaveText("Saved · v1");
  await expect(alice.getByLabel("Name", { exact: true })).toHaveValue(name);
  await expect(alice.getByRole("button", { name: "fragile" })).toHaveAttribute("aria-pressed", "true");
});
