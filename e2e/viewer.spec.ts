import { createRecord, expect, openRecord, test } from "./fixtures";

test("a viewer sees the record read-only and cannot save", async ({ alice, victor }, testInfo) => {
  const record = await createRecord(alice, testInfo);
  await openRecord(victor, record.id);
  await expect(victor.getByText(/view access/)).toBeVisible();
  await expect(victor.getByTestId("save-status")).toHaveText("Read-only · v1");
  await expect(victor.getByRole("button", { name: "Save" })).toHaveCount(0);
  const name = victor.getByLabel("Name", { exact: true });
  await expect(name).toHaveValue(record.name);
  await expect(name).not.toBeEditable();
  await expect(victor.getByLabel("Category", { exact: true })).toBeDisabled();

  await victor.keyboard.press("ControlOrMeta+s");
  await expect(victor.getByTestId("save-status")).toHaveText("Read-only · v1");

  // The server refuses too, whatever the UI shows.
  const current = await victor.request.get(`/api/records/${record.id}`);
  const refused = await victor.request.patch(`/api/records/${record.id}`, {
    data: { values: { name: "viewer edit" } },
    headers: { "if-match": current.headers().etag ?? "" },
  });
  expect(refused.status()).toBe(403);
});

test("a viewer is not offered New record, and the form itself says why before anything is typed", async ({ alice, victor }, testInfo) => {
  const record = await createRecord(alice, testInfo); // only to learn the Inventory id
  await victor.goto(`/collections/${record.collectionId}`);
  await expect(victor.getByRole("table")).toBeVisible();
  await expect(victor.getByRole("button", { name: "New record" })).toHaveCount(0);

  await victor.goto(`/collections/${record.collectionId}/new`);
  await expect(victor.getByText("You can’t add records here")).toBeVisible();
  await expect(victor.getByRole("form", { name: "New record" })).toHaveCount(0);
  await expect(victor.getByLabel("Name", { exact: true })).toHaveCount(0);
  await victor.getByRole("link", { name: "Back to Inventory" }).click();
  await expect(victor).toHaveURL(new RegExp(`/collections/${record.collectionId}$`));
});
