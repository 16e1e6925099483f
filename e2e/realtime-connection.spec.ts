// Connection state: the socket drops, the page says so, edits made meanwhile are kept and synced.
import { apiSave, createRecord, expect, getValues, keepScreenshot, openRecord, richText, test } from "./fixtures";

test("offline: the indicator shows it, edits are kept, and everything syncs when back", async ({ alice, dana }, testInfo) => {
  const record = await createRecord(alice, testInfo, { description: "<p>Before.</p>", price: 10 });
  await openRecord(alice, record.id);
  await openRecord(dana, record.id);
  const indicator = alice.getByTestId("connection-state");
  await expect(indicator).toHaveText("Live");
  await expect(alice.getByLabel("Description", { exact: true })).toHaveText("Before.");

  await alice.context().setOffline(true);
  await expect(indicator).toHaveText(/Offline — your edits are kept|Reconnecting…/);

  const text = alice.getByLabel("Description", { exact: true });
  await text.click();
  await alice.keyboard.press("ControlOrMeta+End");
  await alice.keyboard.type(" Typed offline.");
  await alice.getByLabel("Notes", { exact: true }).fill("Offline note");
  // Meanwhile Dana saves; Alice catches up after reconnecting.
  await apiSave(dana, record.id, { price: 12 });
  await keepScreenshot(alice, testInfo, "offline", false);

  await alice.context().setOffline(false);
  await expect(indicator).toHaveText("Live", { timeout: 20_000 });
  await expect(alice.getByLabel("Price", { exact: true })).toHaveValue("12");
  await expect(alice.getByLabel("Notes", { exact: true })).toHaveValue("Offline note");
  await expect.poll(() => richText(dana, "Description")).toBe("Before. Typed offline.");

  await alice.getByRole("button", { name: "Save" }).click();
  await expect(alice.getByTestId("save-status")).toHaveText(/Saved · v\d+/);
  await expect(alice.getByRole("status").filter({ hasText: "merged" })).toHaveCount(0);
  await expect.poll(async () => (await getValues(alice, record.id)).values.notes).toBe("Offline note");
  expect((await getValues(alice, record.id)).values.price).toBe(12);
});
