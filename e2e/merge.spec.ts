import { createRecord, expect, getValues, keepScreenshot, openRecord, PEOPLE, test } from "./fixtures";

test.describe("two people save the same record", () => {
  test("same field: the dialog shows both values, Keep mine saves, history shows both authors", async ({ alice, dana }, testInfo) => {
    const record = await createRecord(alice, testInfo);
    await openRecord(alice, record.id);
    await openRecord(dana, record.id);

    // Both are editing the name when Alice saves (an edit begun after her save would start from it).
    await dana.getByLabel("Name", { exact: true }).fill("Name by Dana");
    await expect(dana.getByTestId("save-status")).toHaveText("Unsaved changes");
    await alice.getByLabel("Name", { exact: true }).fill("Name by Alice");
    await alice.getByRole("button", { name: "Save" }).click();
    await expect(alice.getByTestId("save-status")).toHaveText("Saved · v2");

    await expect(dana.getByTestId("underneath-name")).toContainText("changed by Alice · v2");
    await dana.getByRole("button", { name: "Save" }).click();

    const dialog = dana.getByRole("dialog", { name: /Resolve conflicts/ });
    await expect(dialog).toBeVisible();
    const field = dialog.getByRole("group", { name: "Name" });
    await expect(field).toContainText("Name by Dana");
    await expect(field).toContainText("Name by Alice");
    await expect(field).toContainText(record.name);
    await expect(field).toContainText(PEOPLE.alice.name);
    await keepScreenshot(dana, testInfo, "merge-dialog", false);

    // Escape cancels and keeps the edit; saving again brings the dialog back.
    await dana.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(dana.getByLabel("Name", { exact: true })).toHaveValue("Name by Dana");
    await dana.keyboard.press("ControlOrMeta+s");
    await expect(dialog).toBeVisible();

    await expect(dialog.getByRole("button", { name: "Save merged" })).toBeDisabled();
    await field.getByRole("button", { name: "Keep mine" }).click();
    await dialog.getByRole("button", { name: "Save merged" }).click();
    await expect(dialog).toBeHidden();
    await expect(dana.getByTestId("save-status")).toHaveText("Saved · v3");
    expect((await getValues(alice, record.id)).values.name).toBe("Name by Dana");

    await dana.goto(`/records/${record.id}/history`);
    const versions = dana.getByRole("list", { name: "Versions" });
    await expect(versions.getByRole("button", { name: /v3.*merge.*Dana Editor/s })).toBeVisible();
    await expect(versions.getByRole("button", { name: /v2.*save.*Alice Owner/s })).toBeVisible();
    await expect(dana.getByText(/Name: kept mine/)).toBeVisible();
    await keepScreenshot(dana, testInfo, "history");
  });

  test("different fields: the second save keeps both changes, without a dialog", async ({ alice, dana }, testInfo) => {
    const record = await createRecord(alice, testInfo, { price: 25 });
    await openRecord(alice, record.id);
    await openRecord(dana, record.id);

    await dana.getByLabel("Notes", { exact: true }).fill("Moved to shelf B2");
    await alice.getByLabel("Price", { exact: true }).fill("30");
    await alice.keyboard.press("ControlOrMeta+s");
    await expect(alice.getByTestId("save-status")).toHaveText("Saved · v2");

    // Dana's untouched Price follows live, so her save starts from v2 and is not refused.
    await expect(dana.getByLabel("Price", { exact: true })).toHaveValue("30");
    await dana.getByRole("button", { name: "Save" }).click();
    await expect(dana.getByTestId("save-status")).toHaveText("Saved · v3");
    // Checked once the save is done: no dialog, and no "merged" notice (it was never refused).
    await expect(dana.getByRole("dialog")).toHaveCount(0);
    await expect(dana.getByRole("status").filter({ hasText: "merged" })).toHaveCount(0);
    await expect(dana.getByLabel("Price", { exact: true })).toHaveValue("30");
    await expect(dana.getByLabel("Notes", { exact: true })).toHaveValue("Moved to shelf B2");

    const { values } = await getValues(alice, record.id);
    expect(values.price).toBe(30);
    expect(values.notes).toBe("Moved to shelf B2");
  });

  test("a number changed by both (10 → 9 and 10 → 8): Apply both gives 7", async ({ alice, dana }, testInfo) => {
    const record = await createRecord(alice, testInfo, { price: 10 });
    await openRecord(alice, record.id);
    await openRecord(dana, record.id);

    await dana.getByLabel("Price", { exact: true }).fill("8");
    await alice.getByLabel("Price", { exact: true }).fill("9");
    await alice.getByRole("button", { name: "Save" }).click();
    await expect(alice.getByTestId("save-status")).toHaveText("Saved · v2");

    await expect(dana.getByTestId("underneath-price")).toBeVisible();
    await dana.getByRole("button", { name: "Save" }).click();
    const dialog = dana.getByRole("dialog", { name: /Resolve conflicts/ });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: /Apply both/ }).click();
    // Shown in the field's display format (Price is in dollars).
    await expect(dialog.getByRole("button", { name: /Apply both/ })).toHaveText("Apply both ($7.00)");
    await dialog.getByRole("button", { name: "Save merged" }).click();
    await expect(dialog).toBeHidden();
    await expect(dana.getByLabel("Price", { exact: true })).toHaveValue("7");
    expect((await getValues(alice, record.id)).values.price).toBe(7);
  });
});
