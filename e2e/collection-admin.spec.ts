// What owners change about a collection after creating it (issue 12): archiving turns its pages
// read-only at once (an open record page too, keeping what was typed) until an owner unarchives it,
// and its limits are added, refused below what is in use, and removed in the collection editor.
import type { Page } from "@playwright/test";
import { expectAccessible } from "./axe";
import { expect, test } from "./fixtures";

async function workspaceOf(page: Page): Promise<string> {
  const body = (await (await page.request.get("/api/me")).json()) as { collections: { workspaceId: string; role: string }[] };
  return body.collections.find((c) => c.role === "owner")!.workspaceId;
}

async function newCollection(page: Page, name: string, fields: unknown[]): Promise<string> {
  const created = await page.request.post(`/api/workspaces/${await workspaceOf(page)}/collections`, { data: { name, fields } });
  expect(created.status()).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

async function newRecord(page: Page, collectionId: string, values: Record<string, unknown>): Promise<string> {
  const created = await page.request.post(`/api/collections/${collectionId}/records`, { data: { values } });
  expect(created.status()).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

test("an owner archives a collection: an open record page turns read-only saying Archived, keeping what was typed, until the owner unarchives it", async ({
  alice,
  dana,
}, testInfo) => {
  const name = `Shelf ${testInfo.workerIndex}-${Date.now()}`;
  const collectionId = await newCollection(alice, name, [{ key: "name", label: "Name", type: "text" }]);
  const recordId = await newRecord(alice, collectionId, { name: "Lamp" });
  await dana.goto(`/records/${recordId}`);
  const field = dana.getByLabel("Name", { exact: true });
  await field.fill("Lamp, typed");

  await alice.goto(`/collections/${collectionId}/fields`);
  await alice.getByRole("button", { name: "Archive collection" }).click();
  await expect(alice.getByRole("status").filter({ hasText: "Archived." }).first()).toBeVisible();
  await expect(alice.getByRole("button", { name: "Save fields" })).toBeDisabled();

  // Dana's open page learns of it live: read-only, what she typed still there, no Save, nothing to unarchive.
  const notice = dana.getByTestId("archived-notice");
  await expect(notice).toContainText(`Archived. ${name} is read-only`);
  await expect(field).not.toBeEditable();
  await expect(field).toHaveValue("Lamp, typed");
  await expect(dana.getByRole("button", { name: /^Save/ })).toHaveCount(0);
  await expect(notice.getByRole("button", { name: "Unarchive" })).toHaveCount(0);
  // The API says the same to anyone who tries.
  const current = await dana.request.get(`/api/records/${recordId}`);
  const refused = await dana.request.patch(`/api/records/${recordId}`, { data: { values: { name: "x" } }, headers: { "if-match": current.headers().etag! } });
  expect(refused.status()).toBe(409);
  expect(((await refused.json()) as { error: string }).error).toBe("archived");

  // The table: no New record or Import, reads and export still there; the owner unarchives from the notice.
  await alice.goto(`/collections/${collectionId}`);
  const tableNotice = alice.getByTestId("archived-notice");
  await expect(tableNotice).toBeVisible();
  await expect(alice.getByRole("button", { name: "New record" })).toHaveCount(0);
  await expect(alice.getByRole("link", { name: "Import CSV" })).toHaveCount(0);
  await expect(alice.getByRole("link", { name: "CSV", exact: true })).toBeVisible();
  await expectAccessible(alice, "archived collection");
  await tableNotice.getByRole("button", { name: "Unarchive" }).click();
  await expect(alice.getByTestId("archived-notice")).toHaveCount(0);
  await expect(alice.getByRole("button", { name: "New record" })).toBeVisible();

  // Dana's page is writable again, with her edit, and saves it.
  await expect(dana.getByTestId("archived-notice")).toHaveCount(0);
  await expect(field).toBeEditable();
  await expect(field).toHaveValue("Lamp, typed");
  await dana.getByRole("button", { name: /^Save/ }).click();
  await expect(dana.getByTestId("save-status")).toContainText("v2");
});

test("limits in the collection editor: one added is counted from the records, one below what is in use is refused with the numbers, one removed", async ({
  alice,
}, testInfo) => {
  const collectionId = await newCollection(alice, `Licences ${testInfo.workerIndex}-${Date.now()}`, [
    { key: "team", label: "Team", type: "text" },
    { key: "seats", label: "Seats", type: "counter", options: { min: 0 } },
  ]);
  for (const seats of [30, 40, 22]) await newRecord(alice, collectionId, { team: `T${seats}`, seats });
  await alice.goto(`/collections/${collectionId}/fields`);
  const limits = alice.getByRole("region", { name: "Limits" });
  await limits.getByRole("button", { name: "Add a limit" }).click();
  await limits.getByRole("textbox", { name: "Limit on Seats" }).fill("100");
  await alice.getByRole("button", { name: "Save fields" }).click();
  await expect(alice.getByRole("status").filter({ hasText: "Saved" })).toHaveText("Saved (version 2).");
  await expect(limits.getByTestId("limit-row-seats")).toContainText("92 in use now");
  await expectAccessible(alice, "collection editor with a limit");

  await limits.getByRole("textbox", { name: "Limit on Seats" }).fill("90");
  await alice.getByRole("button", { name: "Save fields" }).click();
  await expect(limits.getByRole("alert")).toHaveText("92 seats are in use; the limit cannot be lower");
  await expect(limits.getByRole("textbox", { name: "Limit on Seats" })).toHaveValue("90");
  const kept = (await (await alice.request.get(`/api/collections/${collectionId}`)).json()) as { limits: { max: number; used: number }[] };
  expect(kept.limits).toEqual([{ kind: "sum", field: "seats", max: 100, used: 92 }]);

  await limits.getByRole("textbox", { name: "Limit on Seats" }).fill("95");
  await alice.getByRole("button", { name: "Save fields" }).click();
  await expect(alice.getByRole("status").filter({ hasText: "Saved" })).toHaveText("Saved (version 3).");
  await alice.goto(`/collections/${collectionId}`);
  await expect(alice.getByTestId("limit-seats")).toContainText("92 / 95 seats");

  await alice.goto(`/collections/${collectionId}/fields`);
  await alice.getByRole("button", { name: "Remove the limit on Seats" }).click();
  await alice.getByRole("button", { name: "Save fields" }).click();
  await expect(alice.getByRole("status").filter({ hasText: "Saved" })).toHaveText("Saved (version 4).");
  const removed = (await (await alice.request.get(`/api/collections/${collectionId}`)).json()) as { limits: unknown[] };
  expect(removed.limits).toEqual([]);
});
