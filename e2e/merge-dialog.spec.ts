// The merge dialog as a demanding user meets it: one clear set of choices for a long text, "Keep
// both" recorded as what it was, and a dialog that someone saved under again keeps what was chosen.
import type { Page } from "@playwright/test";
import { apiSave, createRecord, expect, getValues, openRecord, test } from "./fixtures";

async function bothEdit(alice: Page, dana: Page, recordId: string, edits: Record<string, [string, string]>) {
  await openRecord(alice, recordId);
  await openRecord(dana, recordId);
  for (const [label, [danas]] of Object.entries(edits)) await dana.getByLabel(label, { exact: true }).fill(danas);
  await expect(dana.getByTestId("save-status")).toHaveText("Unsaved changes");
  for (const [label, [, alices]] of Object.entries(edits)) await alice.getByLabel(label, { exact: true }).fill(alices);
  await alice.getByRole("button", { name: "Save" }).click();
  await expect(alice.getByTestId("save-status")).toHaveText("Saved · v2");
  await expect(dana.locator("[data-testid^=underneath-]")).toHaveCount(Object.keys(edits).length);
  await dana.getByRole("button", { name: "Save" }).click();
  const dialog = dana.getByRole("dialog", { name: /Resolve conflicts/ });
  await expect(dialog).toBeVisible();
  return dialog;
}

test("a long-text conflict offers one set of choices; Keep both keeps both lines and is recorded as kept both", async ({ alice, dana }, testInfo) => {
  const record = await createRecord(alice, testInfo, { notes: "Shelf A1\nSupplier: Globex\nCount weekly" });
  const dialog = await bothEdit(alice, dana, record.id, {
    Notes: ["Shelf A1\nSupplier: Northwind\nCount weekly", "Shelf A1\nSupplier: Contoso\nCount weekly"],
  });
  const notes = dialog.getByRole("group", { name: "Notes" });
  // Line by line only: no field-level Keep mine / Take theirs beside the line choices.
  await expect(notes.getByRole("button", { name: "Keep mine" })).toHaveCount(1);
  await expect(notes.getByRole("button", { name: "Take theirs" })).toHaveCount(1);
  const part = notes.getByRole("listitem", { name: "Conflicting lines 1" });
  await part.getByRole("button", { name: "Keep both" }).click();
  await expect(part.getByRole("button", { name: "Keep both" })).toHaveAttribute("aria-pressed", "true");
  await dialog.getByRole("button", { name: "Save merged" }).click();
  await expect(dialog).toBeHidden();
  expect((await getValues(alice, record.id)).values.notes).toBe("Shelf A1\nSupplier: Northwind\nSupplier: Contoso\nCount weekly");

  await dana.goto(`/records/${record.id}/history?version=3`);
  await expect(dana.getByText(/Notes: kept both/)).toBeVisible();
  await expect(dana.getByText(/edited by hand/)).toHaveCount(0);
});

test("a long text can be edited by hand instead, starting from both sides' lines", async ({ alice, dana }, testInfo) => {
  const record = await createRecord(alice, testInfo, { notes: "one\ntwo" });
  const dialog = await bothEdit(alice, dana, record.id, { Notes: ["one\ntwo (Dana)", "one\ntwo (Alice)"] });
  const notes = dialog.getByRole("group", { name: "Notes" });
  await notes.getByRole("button", { name: "Edit the whole text by hand instead" }).click();
  const box = notes.getByLabel("Your value for Notes");
  await expect(box).toHaveValue("one\ntwo (Dana)\ntwo (Alice)");
  await box.fill("one\ntwo (both of us)");
  await dialog.getByRole("button", { name: "Save merged" }).click();
  await expect(dialog).toBeHidden();
  expect((await getValues(alice, record.id)).values.notes).toBe("one\ntwo (both of us)");
});

test("someone saves again while the dialog is open: choices for fields that did not change again are kept, the others are marked", async ({
  alice,
  dana,
}, testInfo) => {
  const record = await createRecord(alice, testInfo, { price: 10 });
  const dialog = await bothEdit(alice, dana, record.id, { Name: ["Name by Dana", "Name by Alice"], Price: ["8", "9"] });
  const name = dialog.getByRole("group", { name: "Name" });
  const price = dialog.getByRole("group", { name: "Price" });
  await name.getByRole("button", { name: "Keep mine" }).click();
  await price.getByRole("button", { name: "Take theirs" }).click();

  // Alice renames it once more; Dana's Save merged is refused and the dialog refreshes.
  await apiSave(alice, record.id, { name: "Name by Alice, again" });
  await dialog.getByRole("button", { name: "Save merged" }).click();
  await expect(dialog.getByRole("status").filter({ hasText: "saved again (v3)" })).toContainText(
    "Name changed again: choose again there. Your other choices are kept.",
  );
  await expect(price.getByRole("button", { name: "Take theirs" })).toHaveAttribute("aria-pressed", "true");
  await expect(dialog.getByTestId("changed-again-name")).toBeVisible();
  await expect(dialog.getByTestId("changed-again-price")).toHaveCount(0);
  await expect(name.getByRole("button", { name: "Keep mine" })).toHaveAttribute("aria-pressed", "false");
  await expect(name).toContainText("Name by Alice, again");
  await expect(dialog.getByRole("button", { name: "Save merged" })).toBeDisabled();

  await name.getByRole("button", { name: "Keep mine" }).click();
  await dialog.getByRole("button", { name: "Save merged" }).click();
  await expect(dialog).toBeHidden();
  const { values, version } = await getValues(alice, record.id);
  expect(version).toBe(4);
  expect(values).toMatchObject({ name: "Name by Dana", price: 9 });
});
