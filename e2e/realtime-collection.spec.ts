// The records table follows saves, creations and deletions as they happen.
import { apiSave, createRecord, expect, test } from "./fixtures";

test("the collection table updates rows live", async ({ alice, dana }, testInfo) => {
  const record = await createRecord(alice, testInfo, { price: 20 });
  await alice.goto(`/collections/${record.collectionId}`);
  await alice.getByLabel("Search", { exact: true }).fill(record.sku);
  const row = alice.getByRole("row").filter({ hasText: record.sku });
  await expect(row).toContainText("20");
  await expect(alice.getByTestId("connection-state")).toHaveText("Live");

  await apiSave(dana, record.id, { price: 77, name: `${record.name} (renamed)` });
  await expect(row).toContainText("77");
  await expect(row).toContainText("(renamed)");

  const current = await dana.request.get(`/api/records/${record.id}`);
  const deleted = await dana.request.delete(`/api/records/${record.id}`, { headers: { "if-match": current.headers().etag ?? "" } });
  expect(deleted.ok(), await deleted.text()).toBeTruthy();
  await expect(row).toHaveCount(0);
});
