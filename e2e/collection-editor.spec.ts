// The collection editor and CSV import in the browser: an owner creates a collection with fields,
// sees them as the table's columns, imports a CSV with a bad row, reads the per-row report before
// anything is written, and imports only the valid rows.
import { expect, test } from "./fixtures";

test("an owner creates a collection with fields, then imports a CSV with a bad row and sees the report", async ({ alice }, testInfo) => {
  await alice.goto("/");
  await alice
    .getByRole("link", { name: /^New collection/ })
    .first()
    .click();
  await expect(alice.getByRole("heading", { name: "New collection" })).toBeVisible();
  const name = `Parts ${testInfo.workerIndex}-${Date.now()}`;
  await alice.getByLabel("Collection name").fill(name);
  // The first field (Name, text, required) is there already; add a number and a select.
  await alice.getByRole("button", { name: "Add field" }).click();
  await alice.locator("#field-1-label").fill("Stock");
  await alice.locator("#field-1-key").fill("stock");
  await alice.locator("#field-1-type").selectOption("number");
  await alice.getByLabel("Stock minimum").fill("0");
  await alice.getByRole("button", { name: "Add field" }).click();
  await alice.locator("#field-2-label").fill("Size");
  await alice.locator("#field-2-key").fill("size");
  await alice.locator("#field-2-type").selectOption("select");
  await alice.getByLabel("Size choices").fill("S, M, L");
  await alice.getByRole("button", { name: "Create collection" }).click();

  await expect(alice).toHaveURL(/\/collections\/[0-9a-f-]{36}$/);
  await expect(alice.getByRole("heading", { name })).toBeVisible();
  for (const column of ["Name", "Stock", "Size"]) await expect(alice.getByRole("columnheader", { name: column })).toBeVisible();

  await alice.getByRole("link", { name: "Import CSV" }).click();
  await expect(alice.getByRole("heading", { name: "Import CSV" })).toBeVisible();
  await alice.getByLabel("CSV file").setInputFiles({
    name: "parts.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("Name,Stock,Size\nBolt,12,S\nNut,-3,XL\nWasher,40,M\n"),
  });
  await alice.getByRole("button", { name: "Preview" }).click();
  const preview = alice.getByRole("region", { name: "Preview" });
  await expect(preview).toContainText("3 rows: 2 valid, 1 with problems");
  const report = alice.getByRole("table", { name: "Rows with problems" });
  await expect(report.getByRole("row")).toHaveCount(3); // header + stock and size of row 3
  await expect(report).toContainText("stock");
  await expect(report).toContainText("size");
  await expect(report.getByRole("row").nth(1)).toContainText("3");
  // Nothing was written by the preview.
  const id = alice.url().split("/collections/")[1]!.split("/")[0]!;
  const before = await alice.request.get(`/api/collections/${id}/records`);
  expect(((await before.json()) as { records: unknown[] }).records).toHaveLength(0);

  await alice.getByRole("button", { name: "Import 2 valid rows" }).click();
  await expect(alice.getByRole("status").filter({ hasText: "Imported" })).toHaveText("Imported 2 records; 1 row skipped.");
  await expect(alice.getByRole("progressbar", { name: "Import progress" })).toHaveAttribute("value", "100");
  await alice.getByRole("link", { name: "See the records" }).click();
  await expect(alice.getByRole("link", { name: "Bolt" })).toBeVisible();
  await expect(alice.getByRole("link", { name: "Washer" })).toBeVisible();
  await expect(alice.getByText("Nut")).toHaveCount(0);
});

test("an open record page shows a field an owner adds, keeping what was typed", async ({ alice, dana, baseURL }, testInfo) => {
  const created = await alice.request.post(`/api/workspaces/${await workspaceOf(alice)}/collections`, {
    data: { name: `Live ${testInfo.workerIndex}-${Date.now()}`, fields: [{ key: "name", label: "Name", type: "text" }] },
    headers: { origin: baseURL! },
  });
  expect(created.status()).toBe(201);
  const collection = (await created.json()) as { id: string; etag: string };
  const record = await alice.request.post(`/api/collections/${collection.id}/records`, { data: { values: { name: "Lamp" } }, headers: { origin: baseURL! } });
  const recordId = ((await record.json()) as { id: string }).id;
  await dana.goto(`/records/${recordId}`);
  await dana.getByLabel("Name", { exact: true }).fill("Lamp, typed");
  const patched = await alice.request.patch(`/api/collections/${collection.id}`, {
    data: {
      fields: [
        { key: "name", label: "Name", type: "text" },
        { key: "colour", label: "Colour", type: "text" },
      ],
    },
    headers: { "if-match": collection.etag, origin: baseURL! },
  });
  expect(patched.status()).toBe(200);
  await expect(dana.getByLabel("Colour", { exact: true })).toBeVisible();
  await expect(dana.getByLabel("Name", { exact: true })).toHaveValue("Lamp, typed");
});

async function workspaceOf(page: import("@playwright/test").Page): Promise<string> {
  const me = await page.request.get("/api/me");
  const body = (await me.json()) as { collections: { workspaceId: string; role: string }[] };
  return body.collections.find((c) => c.role === "owner")!.workspaceId;
}

test("a stale edit of the fields offers keep mine / take theirs per part, and keeps what was typed", async ({ alice, baseURL }, testInfo) => {
  const created = await alice.request.post(`/api/workspaces/${await workspaceOf(alice)}/collections`, {
    data: {
      name: `Clash ${testInfo.workerIndex}-${Date.now()}`,
      fields: [
        { key: "name", label: "Name", type: "text" },
        { key: "qty", label: "Qty", type: "text" },
      ],
    },
    headers: { origin: baseURL! },
  });
  const collection = (await created.json()) as { id: string; etag: string };
  await alice.goto(`/collections/${collection.id}/fields`);
  await alice.locator("#field-1-label").fill("Amount");
  await alice.locator("#field-0-label").fill("Title");
  // Meanwhile someone else relabels the same field.
  const other = await alice.request.patch(`/api/collections/${collection.id}`, {
    data: {
      fields: [
        { key: "name", label: "Name", type: "text" },
        { key: "qty", label: "Count", type: "text" },
      ],
    },
    headers: { "if-match": collection.etag, origin: baseURL! },
  });
  expect(other.status()).toBe(200);
  await alice.getByRole("button", { name: "Save fields" }).click();
  const conflicts = alice.getByRole("region", { name: "Conflicting changes" });
  await expect(conflicts).toContainText("Field “qty”");
  await expect(conflicts).toContainText("Yours: Amount");
  await expect(conflicts).toContainText("Theirs: Count");
  await expect(alice.locator("#field-1-label")).toHaveValue("Amount");
  await conflicts.getByLabel("Keep mine").check();
  await conflicts.getByRole("button", { name: "Save merged fields" }).click();
  await expect(alice.getByRole("status").filter({ hasText: "Saved" })).toHaveText("Saved (version 3).");
  const now = await alice.request.get(`/api/collections/${collection.id}`);
  expect(((await now.json()) as { fields: { label: string }[] }).fields.map((f) => f.label)).toEqual(["Title", "Amount"]);
});

test("a type change is previewed with what it converts, the trash included, then applied to every record", async ({ alice, baseURL }, testInfo) => {
  const created = await alice.request.post(`/api/workspaces/${await workspaceOf(alice)}/collections`, {
    data: {
      name: `Retype ${testInfo.workerIndex}-${Date.now()}`,
      fields: [
        { key: "name", label: "Name", type: "text" },
        { key: "qty", label: "Qty", type: "text" },
      ],
    },
    headers: { origin: baseURL! },
  });
  const collection = (await created.json()) as { id: string };
  const record = await alice.request.post(`/api/collections/${collection.id}/records`, {
    data: { values: { name: "Bolt", qty: "12" } },
    headers: { origin: baseURL! },
  });
  const recordId = ((await record.json()) as { id: string }).id;
  // One in the trash too: converted as well, so bringing it back never brings back text.
  const trashed = await alice.request.post(`/api/collections/${collection.id}/records`, {
    data: { values: { name: "Nut", qty: "7" } },
    headers: { origin: baseURL! },
  });
  const trashedId = ((await trashed.json()) as { id: string }).id;
  const deleted = await alice.request.delete(`/api/records/${trashedId}`, { headers: { "if-match": trashed.headers().etag!, origin: baseURL! } });
  expect(deleted.status()).toBe(200);
  await alice.goto(`/collections/${collection.id}/fields`);
  await alice.locator("#field-1-type").selectOption("number");
  await alice.getByRole("button", { name: "Save fields" }).click();
  const preview = alice.getByRole("region", { name: "Conversion preview" });
  await expect(preview).toContainText("qty: text → number: 2 value(s) change (1 in the trash).");
  await expect(preview).toContainText('"12" → 12');
  const untouched = await alice.request.get(`/api/records/${recordId}`);
  expect(((await untouched.json()) as { values: { qty: unknown } }).values.qty).toBe("12");
  await preview.getByRole("button", { name: "Convert and save" }).click();
  await expect(alice.getByRole("status").filter({ hasText: "Saved" })).toHaveText("Saved (version 2).");
  const converted = await alice.request.get(`/api/records/${recordId}`);
  expect(((await converted.json()) as { values: { qty: unknown } }).values.qty).toBe(12);
  const trash = (await (await alice.request.get(`/api/collections/${collection.id}/records?deleted=true`)).json()) as {
    records: { values: { qty: unknown } }[];
  };
  expect(trash.records.map((r) => r.values.qty)).toEqual([7]);
});
