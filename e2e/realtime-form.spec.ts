// Live form: saves by the other person reach an open record while it is being edited.
import { apiSave, createRecord, expect, getValues, keepScreenshot, openRecord, PEOPLE, test } from "./fixtures";

test.describe("live form", () => {
  test("an untouched field updates in place with who changed it", async ({ alice, dana }, testInfo) => {
    const record = await createRecord(alice, testInfo, { price: 25 });
    await openRecord(alice, record.id);
    await openRecord(dana, record.id);
    await expect(alice.getByTestId("connection-state")).toHaveText("Live");

    await dana.getByLabel("Price", { exact: true }).fill("31");
    await dana.getByRole("button", { name: "Save" }).click();
    await expect(dana.getByTestId("save-status")).toHaveText("Saved · v2");

    await expect(alice.getByLabel("Price", { exact: true })).toHaveValue("31");
    await expect(alice.getByTestId("changed-price")).toHaveText("Dana changed this · v2");
    await keepScreenshot(alice, testInfo, "live-update", false);
    await expect(alice.getByTestId("save-status")).toHaveText("Saved · v2");

    // Alice's next save goes straight through on the new version: no refusal, nothing overwritten.
    await alice.getByLabel("SKU", { exact: true }).fill(`${record.sku}-A`);
    await alice.keyboard.press("ControlOrMeta+s");
    await expect(alice.getByTestId("save-status")).toHaveText("Saved · v3");
    await expect(alice.getByRole("status").filter({ hasText: "merged" })).toHaveCount(0);
    const { values } = await getValues(alice, record.id);
    expect(values.price).toBe(31);
    expect(values.sku).toBe(`${record.sku}-A`);
  });

  test("an edit elsewhere moves to the new version and saves without a refusal", async ({ alice, dana }, testInfo) => {
    const record = await createRecord(alice, testInfo, { price: 25 });
    await openRecord(alice, record.id);
    await alice.getByLabel("Notes", { exact: true }).fill("Alice's note");
    await apiSave(dana, record.id, { price: 40 });
    await expect(alice.getByLabel("Price", { exact: true })).toHaveValue("40");
    await expect(alice.getByLabel("Notes", { exact: true })).toHaveValue("Alice's note");
    await expect(alice.getByTestId("save-status")).toHaveText("Unsaved changes");
    await alice.getByRole("button", { name: "Save" }).click();
    await expect(alice.getByTestId("save-status")).toHaveText("Saved · v3");
    await expect(alice.getByRole("status").filter({ hasText: "merged" })).toHaveCount(0);
    expect((await getValues(alice, record.id)).values).toMatchObject({ price: 40, notes: "Alice's note" });
  });

  test("a field being edited gets the changed-by marker; Take theirs replaces the edit", async ({ alice, dana }, testInfo) => {
    const record = await createRecord(alice, testInfo);
    await openRecord(alice, record.id);
    await openRecord(dana, record.id);

    await alice.getByLabel("Name", { exact: true }).fill("Alice is typing this");
    await alice.getByLabel("Notes", { exact: true }).fill("Alice's note stays");
    await dana.getByLabel("Name", { exact: true }).fill("Dana's name");
    await dana.getByRole("button", { name: "Save" }).click();
    await expect(dana.getByTestId("save-status")).toHaveText("Saved · v2");

    const marker = alice.getByTestId("underneath-name");
    await expect(marker).toContainText("changed by Dana · v2");
    await expect(alice.getByLabel("Name", { exact: true })).toHaveValue("Alice is typing this");

    await marker.getByRole("button", { name: "Compare" }).click();
    const compare = marker.getByRole("definition");
    await expect(compare.filter({ hasText: "Dana's name" })).toBeVisible();
    await expect(compare.filter({ hasText: "Alice is typing this" })).toBeVisible();
    await expect(compare.filter({ hasText: record.name })).toBeVisible();
    await keepScreenshot(alice, testInfo, "changed-underneath", false);

    await marker.getByRole("button", { name: "Take theirs" }).click();
    await expect(marker).toHaveCount(0);
    await expect(alice.getByLabel("Name", { exact: true })).toHaveValue("Dana's name");
    await expect(alice.getByLabel("Notes", { exact: true })).toHaveValue("Alice's note stays");
    // Nothing else was pending, so the save is a plain one on v2.
    await alice.getByRole("button", { name: "Save" }).click();
    await expect(alice.getByTestId("save-status")).toHaveText("Saved · v3");
    expect((await getValues(alice, record.id)).values).toMatchObject({ name: "Dana's name", notes: "Alice's note stays" });
  });

  test("keeping an edit that changed underneath goes through the merge dialog", async ({ alice, dana }, testInfo) => {
    const record = await createRecord(alice, testInfo, { stock: 10 });
    await openRecord(alice, record.id);
    await alice.getByLabel("Name", { exact: true }).fill("Mine");
    await apiSave(dana, record.id, { name: "Theirs", stock: 8 });
    await expect(alice.getByTestId("underneath-name")).toContainText(`changed by ${PEOPLE.dana.name.split(" ")[0]} · v2`);
    await expect(alice.getByLabel("Stock", { exact: true })).toHaveValue("8");
    // Seen the new stock, Alice counts one more: relative to what she saw, so 8 → 9, not a double delta.
    await alice.getByRole("button", { name: "Plus one" }).click();
    await alice.getByRole("button", { name: "Save" }).click();
    const dialog = alice.getByRole("dialog", { name: /Resolve conflicts/ });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("group", { name: "Name" }).getByRole("button", { name: "Keep mine" }).click();
    await dialog.getByRole("button", { name: "Save merged" }).click();
    await expect(dialog).toBeHidden();
    expect((await getValues(alice, record.id)).values).toMatchObject({ name: "Mine", stock: 9 });
  });

  test("a record deleted while open shows a banner and becomes read-only", async ({ alice, dana }, testInfo) => {
    const record = await createRecord(alice, testInfo);
    await openRecord(dana, record.id);
    await dana.getByLabel("Notes", { exact: true }).fill("Unsaved when it went");
    const response = await alice.request.delete(`/api/records/${record.id}`, { headers: { "if-match": record.etag } });
    expect(response.ok(), await response.text()).toBeTruthy();
    await expect(dana.getByRole("alert").filter({ hasText: "This record was deleted" })).toBeVisible();
    await expect(dana.getByLabel("Name", { exact: true })).not.toBeEditable();
    await expect(dana.getByLabel("Notes", { exact: true })).toHaveValue("Unsaved when it went");
    await expect(dana.getByRole("button", { name: "Save" })).toHaveCount(0);
  });
});
