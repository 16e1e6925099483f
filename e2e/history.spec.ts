import { apiSave, createRecord, expect, getValues, test } from "./fixtures";

test("restores an old version, then a single field", async ({ alice }, testInfo) => {
  const record = await createRecord(alice, testInfo, { price: 5, notes: "first notes" });
  await apiSave(alice, record.id, { name: `${record.name} (renamed)`, price: 6 }); // v2
  await apiSave(alice, record.id, { notes: "third notes", price: 7 }); // v3

  await alice.goto(`/records/${record.id}/history`);
  const versions = alice.getByRole("list", { name: "Versions" });
  await expect(versions.getByRole("button")).toHaveCount(3);
  await versions.getByRole("button", { name: /^v1/ }).click();
  await expect(alice.getByRole("heading", { name: /Version 1/ })).toBeVisible();
  await alice.getByRole("button", { name: "Restore this version" }).click();
  await alice.getByRole("dialog", { name: "Restore v1?" }).getByRole("button", { name: "Restore v1" }).click();
  await expect(alice.getByRole("status").filter({ hasText: "Restored v1" })).toContainText("Saved as v4");
  let { values, version } = await getValues(alice, record.id);
  expect(version).toBe(4);
  expect(values).toMatchObject({ name: record.name, price: 5, notes: "first notes" });

  // v2 renamed the record and changed the price: bring back only its name.
  await versions.getByRole("button", { name: /^v2/ }).click();
  await expect(alice.getByRole("heading", { name: /Version 2/ })).toBeVisible();
  await alice.getByRole("button", { name: "Restore Name", exact: true }).click();
  await alice.getByRole("dialog", { name: "Restore Name from v2?" }).getByRole("button", { name: "Restore Name from v2" }).click();
  await expect(alice.getByRole("status").filter({ hasText: "Restored Name from v2" })).toContainText("Saved as v5");
  ({ values, version } = await getValues(alice, record.id));
  expect(version).toBe(5);
  expect(values).toMatchObject({ name: `${record.name} (renamed)`, price: 5, notes: "first notes" });

  await expect(versions.getByRole("button", { name: /^v5.*restore/s })).toBeVisible();
  // Compare any two versions.
  await alice.getByLabel("From version").selectOption("1");
  await alice.getByLabel("To version").selectOption("3");
  await alice.getByRole("button", { name: "Compare" }).click();
  await expect(alice.getByRole("region", { name: "Compare versions" })).toContainText("third notes");
});
