// A team's first day (issue 12): a new owner creates a workspace and a collection with fields in
// the collection editor, invites a teammate who signs up from the link, both open a record, the
// owner demotes the teammate and the teammate's open page turns read-only (keeping what was
// typed); then delete, Trash, restore, and Discard changes.
import { expect, test } from "./fixtures";

const PASSWORD = "team-password-123";
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test("a new owner signs up, creates a workspace and a collection with fields, invites a teammate who signs up from the link, and a demotion turns the teammate's open page read-only", async ({
  browser,
  baseURL,
}) => {
  // Open sign-up (TANDEM_OPEN_SIGNUP=true on the e2e server) for the owner; the teammate comes by invitation.
  const owner = await (await browser.newContext({ baseURL })).newPage();
  await owner.goto("/sign-in");
  await owner.getByRole("link", { name: "Create an account" }).click();
  await owner.getByLabel("Your name").fill("Olga");
  await owner.getByLabel("Email").fill(`olga-${unique()}@example.test`);
  await owner.getByLabel(/^Password/).fill(PASSWORD);
  await owner.getByRole("button", { name: "Create account" }).click();
  await expect(owner.getByRole("form", { name: "New workspace" })).toBeVisible();
  const teamName = `Team ${unique()}`;
  await owner.getByLabel("Workspace name").fill(teamName);
  await owner.getByRole("button", { name: "Create workspace" }).click();
  await expect(owner).toHaveURL(/\/workspaces\/[0-9a-f-]{36}$/);
  const workspaceId = owner.url().split("/").pop()!;
  await expect(owner.getByRole("heading", { name: teamName })).toBeVisible();
  await expect(owner.getByLabel("Workspace", { exact: true })).toHaveValue(workspaceId);
  await expect(owner.getByTestId("workspace-name")).toHaveText(teamName);

  // The new workspace has no collection yet: the owner makes one, with its fields, in the collection editor.
  await owner.getByRole("link", { name: "Create the first collection" }).click();
  await expect(owner.getByRole("heading", { name: "New collection" })).toBeVisible();
  await owner.getByLabel("Collection name").fill("Stock");
  // The first field (Name, text, required) is there already; a notes field and a counted quantity join it.
  await owner.getByRole("button", { name: "Add field" }).click();
  await owner.locator("#field-1-label").fill("Notes");
  await owner.locator("#field-1-key").fill("notes");
  await owner.locator("#field-1-type").selectOption("longtext");
  await owner.getByRole("button", { name: "Add field" }).click();
  await owner.locator("#field-2-label").fill("Quantity");
  await owner.locator("#field-2-key").fill("quantity");
  await owner.locator("#field-2-type").selectOption("counter");
  await owner.getByLabel("Quantity minimum").fill("0");
  await owner.getByRole("button", { name: "Create collection" }).click();
  await expect(owner).toHaveURL(/\/collections\/[0-9a-f-]{36}$/);
  await expect(owner.getByRole("heading", { name: "Stock" })).toBeVisible();
  // Long text stays out of the table; the other fields are its columns.
  for (const column of ["Name", "Quantity"]) await expect(owner.getByRole("columnheader", { name: column })).toBeVisible();
  const collectionId = owner.url().split("/collections/")[1]!;
  const schema = (await (await owner.request.get(`/api/collections/${collectionId}`)).json()) as {
    workspaceId: string;
    fields: { key: string; type: string }[];
  };
  expect(schema.workspaceId).toBe(workspaceId);
  expect(schema.fields.map((f) => `${f.key}:${f.type}`)).toEqual(["name:text", "notes:longtext", "quantity:counter"]);

  // Its first record, from the table's New record.
  await owner.getByRole("button", { name: "New record" }).click();
  await owner.getByLabel("Name", { exact: true }).fill("Widget");
  await owner.getByRole("button", { name: "Create record" }).click();
  await expect(owner).toHaveURL(/\/records\/[0-9a-f-]{36}$/);
  const recordId = owner.url().split("/records/")[1]!;
  await owner.goto(`/workspaces/${workspaceId}`);

  await owner.getByRole("link", { name: "Members and invitations" }).click();
  await owner.getByLabel("Role", { exact: true }).selectOption("editor");
  await owner.getByRole("button", { name: "Create invitation link" }).click();
  const link = await owner.getByLabel("Invitation link").inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);

  const mateContext = await browser.newContext({ baseURL });
  const mate = await mateContext.newPage();
  await mate.goto(link);
  await expect(mate.getByRole("heading", { name: new RegExp(`Join ${teamName}`) })).toBeVisible();
  await mate.getByLabel("Your name").fill("Theo");
  await mate.getByLabel("Email").fill(`theo-${unique()}@example.test`);
  await mate.getByLabel(/^Password/).fill(PASSWORD);
  await mate.getByRole("button", { name: "Create account and join" }).click();
  await expect(mate).toHaveURL(new RegExp(`/workspaces/${workspaceId}$`));
  await expect(mate.getByRole("heading", { name: teamName })).toBeVisible();

  // The link was used once: opening it again says so.
  await mate.goto(link);
  await expect(mate.getByText("This invitation has already been used.")).toBeVisible();

  await mate.goto(`/records/${recordId}`);
  await owner.goto(`/records/${recordId}`);
  const mateName = mate.getByLabel("Name", { exact: true });
  await expect(mateName).toBeEditable();
  await mateName.fill("Widget by Theo");
  await expect(owner.getByLabel("Name", { exact: true })).toHaveValue("Widget");

  const ownerMembers = await owner.context().newPage();
  await ownerMembers.goto(`/workspaces/${workspaceId}/members`);
  await ownerMembers.getByLabel("Role of Theo").selectOption("viewer");
  await expect(ownerMembers.getByText("Theo is now viewer.")).toBeVisible();

  await expect(mate.getByText(/view access/)).toBeVisible();
  await expect(mateName).not.toBeEditable();
  // What Theo typed is still on screen to copy.
  await expect(mateName).toHaveValue("Widget by Theo");
  await expect(mate.getByRole("button", { name: "Delete…" })).toHaveCount(0);

  // Theo leaves; with no workspace left, the home page offers to create one.
  await mate.goto(`/workspaces/${workspaceId}`);
  await mate.getByRole("button", { name: "Leave workspace…" }).click();
  await mate
    .getByRole("group", { name: `Leave ${teamName}?` })
    .getByRole("button", { name: "Leave" })
    .click();
  await expect(mate).toHaveURL(/\/$/);
  await expect(mate.getByRole("form", { name: "New workspace" })).toBeVisible();
  await ownerMembers.reload();
  await expect(ownerMembers.getByTestId("member-row")).toHaveCount(1);
  await mateContext.close();
});

test("delete a record with a confirmation, find it in Trash with who and when, restore it; discard a draft", async ({ alice }, testInfo) => {
  const collections = (await (await alice.request.get("/api/me")).json()) as { collections: { id: string; name: string }[] };
  const inventory = collections.collections.find((c) => c.name === "Inventory")!;
  const name = `Trash item ${testInfo.workerIndex}-${unique()}`;
  const created = await alice.request.post(`/api/collections/${inventory.id}/records`, { data: { values: { name, sku: `T-${unique()}` } } });
  expect(created.status()).toBe(201);
  const recordId = ((await created.json()) as { id: string }).id;

  await alice.goto(`/records/${recordId}`);
  const nameInput = alice.getByLabel("Name", { exact: true });
  await nameInput.fill(`${name} (typo)`);
  await alice.getByRole("button", { name: "Discard changes…" }).click();
  await alice.getByRole("group", { name: "Discard your unsaved changes?" }).getByRole("button", { name: "Discard" }).click();
  await expect(nameInput).toHaveValue(name);
  await expect(alice.getByText("Your unsaved changes were discarded.")).toBeVisible();
  await alice.reload();
  await expect(alice.getByLabel("Name", { exact: true })).toHaveValue(name);
  await expect(alice.getByText(/Restored your unsaved changes/)).toHaveCount(0);

  await alice.getByRole("button", { name: "Delete…" }).click();
  await alice.getByRole("group", { name: "Delete this record?" }).getByRole("button", { name: "Delete" }).click();
  await expect(alice.getByText("You deleted this record.")).toBeVisible();
  await alice.getByRole("link", { name: "trash" }).click();
  await expect(alice).toHaveURL(new RegExp(`/collections/${inventory.id}/trash$`));
  const row = alice.getByTestId("trash-row").filter({ hasText: name });
  await expect(row).toContainText("Deleted by Alice Owner");
  await row.getByRole("button", { name: "Restore" }).click();
  await expect(alice.getByText(`Restored “${name}”.`)).toBeVisible();
  await expect(alice.getByTestId("trash-row").filter({ hasText: name })).toHaveCount(0);
  await alice.getByRole("link", { name: "Open it" }).click();
  await expect(alice.getByLabel("Name", { exact: true })).toHaveValue(name);
  await expect(alice.getByTestId("save-status")).toContainText("v3");
});

test("a deleted record's history says so, links to the trash and brings it back as a new version", async ({ alice, victor }, testInfo) => {
  const collections = (await (await alice.request.get("/api/me")).json()) as { collections: { id: string; name: string }[] };
  const inventory = collections.collections.find((c) => c.name === "Inventory")!;
  const name = `History item ${testInfo.workerIndex}-${unique()}`;
  const created = await alice.request.post(`/api/collections/${inventory.id}/records`, { data: { values: { name, sku: `H-${unique()}` } } });
  const recordId = ((await created.json()) as { id: string }).id;
  const removed = await alice.request.delete(`/api/records/${recordId}`, { headers: { "if-match": created.headers().etag ?? "" } });
  expect(removed.status()).toBe(200);

  // A viewer reads the history but is not offered to bring it back.
  await victor.goto(`/records/${recordId}/history`);
  await expect(victor.getByText(/This record was deleted/)).toBeVisible();
  await expect(victor.getByRole("button", { name: "Bring it back" })).toHaveCount(0);

  await alice.goto(`/records/${recordId}/history`);
  await expect(alice.getByText(/This record was deleted/)).toBeVisible();
  await expect(alice.getByRole("link", { name: "Inventory’s trash" })).toHaveAttribute("href", `/collections/${inventory.id}/trash`);
  await alice.getByRole("button", { name: "Bring it back" }).click();
  await expect(alice.getByText("The record is back, as a new version.")).toBeVisible();
  await expect(alice.getByText("Now at v3.")).toBeVisible();
  await alice.getByRole("link", { name: "Open it" }).click();
  await expect(alice.getByLabel("Name", { exact: true })).toHaveValue(name);
});
