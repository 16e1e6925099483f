// Where am I and how do I get back: page titles name the record and collection, the workspace
// is shown, a skip link leads past the header, and error pages offer a way back.
import { randomUUID } from "node:crypto";
import { createRecord, expect, openRecord, test } from "./fixtures";

test("page titles name the record, its collection and the workspace; the header shows the workspace", async ({ alice }, testInfo) => {
  const record = await createRecord(alice, testInfo);
  await openRecord(alice, record.id);
  await expect(alice).toHaveTitle(`${record.name} · Inventory · Acme Operations · Tandem`);
  await expect(alice.getByTestId("workspace-name")).toHaveText(/Acme Operations/);
  await alice.goto(`/records/${record.id}/history`);
  await expect(alice).toHaveTitle(`History · ${record.name} · Inventory · Acme Operations · Tandem`);
  await alice.goto(`/collections/${record.collectionId}`);
  await expect(alice).toHaveTitle("Inventory · Acme Operations · Tandem");
  await alice.goto(`/collections/${record.collectionId}/new`);
  await expect(alice).toHaveTitle("New record · Inventory · Acme Operations · Tandem");
  await alice.goto("/");
  await expect(alice).toHaveTitle("Collections · Acme Operations · Tandem");
});

test("a skip link is the first stop and moves focus to the content", async ({ alice }, testInfo) => {
  const record = await createRecord(alice, testInfo);
  await openRecord(alice, record.id);
  await alice.keyboard.press("Tab");
  const skip = alice.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await alice.keyboard.press("Enter");
  await expect(alice.locator("main#main")).toBeFocused();
  await alice.keyboard.press("Tab");
  // The next stop is in the page, not the header.
  expect(await alice.evaluate(() => !!document.activeElement?.closest("main"))).toBe(true);
});

test("error pages offer a way back and promise nothing untrue", async ({ alice }) => {
  await alice.goto(`/records/${randomUUID()}`);
  await expect(alice.getByText("There is no such record")).toBeVisible();
  await expect(alice.getByText(/unsaved edits/i)).toHaveCount(0);
  await alice.getByRole("link", { name: "Back to your collections" }).click();
  await expect(alice).toHaveURL(/\/$/);

  await alice.goto(`/records/${randomUUID()}/history`);
  await expect(alice.getByText("There is no such record")).toBeVisible();
  await expect(alice.getByRole("link", { name: "Back to your collections" })).toBeVisible();

  await alice.goto(`/collections/${randomUUID()}`);
  await expect(alice.getByText("There is no such collection")).toBeVisible();
  await alice.getByRole("link", { name: "Back to your collections" }).click();
  await expect(alice.getByRole("heading", { name: /Collections/ })).toBeVisible();

  await alice.goto("/no/such/page");
  await expect(alice.getByRole("link", { name: "Back to your collections" })).toBeVisible();
});
