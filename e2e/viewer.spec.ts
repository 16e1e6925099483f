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
  const refused = await victor.request.patch(`/api/records/${record.id}`, { data: { values: { name: "viewer edit" } }, headers: { "if-match": current.headers().etag ?? "" } });
  expect(refused.status()).toBe(403);
});
