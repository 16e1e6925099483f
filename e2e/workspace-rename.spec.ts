// An owner renames a workspace from its page (issue 12): the header follows, and a rename made
// meanwhile elsewhere is shown, never overwritten unseen, with the typed name kept to save again.
import { expectAccessible } from "./axe";
import { expect, test } from "./fixtures";

test("an owner renames a workspace; a rename made meanwhile is shown and the typed name kept until saved again", async ({ alice, dana }, testInfo) => {
  const unique = `${testInfo.workerIndex}-${Date.now().toString(36)}`;
  const created = await alice.request.post("/api/workspaces", { data: { name: `Crew ${unique}` } });
  expect(created.status()).toBe(201);
  const workspace = ((await created.json()) as { workspace: { id: string } }).workspace;
  await alice.goto(`/workspaces/${workspace.id}`);
  await alice.getByRole("button", { name: "Rename…" }).click();
  const form = alice.getByRole("form", { name: "Rename workspace" });
  await expectAccessible(alice, "rename workspace");
  await form.getByLabel("New workspace name").fill(`Riggers ${unique}`);
  await form.getByRole("button", { name: "Save name" }).click();
  await expect(alice.getByRole("heading", { name: `Riggers ${unique}` })).toBeVisible();
  await expect(alice.getByRole("status").filter({ hasText: "Renamed to" })).toHaveText(`Renamed to “Riggers ${unique}”.`);
  await expect(alice.getByTestId("workspace-name")).toHaveText(`Riggers ${unique}`);

  // An empty name is refused on the field.
  await alice.getByRole("button", { name: "Rename…" }).click();
  await form.getByLabel("New workspace name").fill("   ");
  await form.getByRole("button", { name: "Save name" }).click();
  await expect(form).toContainText("Give the workspace a name");

  // Meanwhile another owner's tab renames it: this save is refused, says so, and keeps what was typed.
  await form.getByLabel("New workspace name").fill(`Mine ${unique}`);
  const current = await alice.request.get(`/api/workspaces/${workspace.id}`);
  const other = await alice.request.patch(`/api/workspaces/${workspace.id}`, {
    data: { name: `Theirs ${unique}` },
    headers: { "if-match": current.headers().etag! },
  });
  expect(other.status()).toBe(200);
  await form.getByRole("button", { name: "Save name" }).click();
  await expect(form.getByRole("alert")).toHaveText(
    `Someone renamed it to “Theirs ${unique}” meanwhile. Your name is kept here: save again to use it, or cancel.`,
  );
  await expect(form.getByLabel("New workspace name")).toHaveValue(`Mine ${unique}`);
  await form.getByRole("button", { name: "Save name" }).click();
  await expect(alice.getByRole("heading", { name: `Mine ${unique}` })).toBeVisible();

  // A member who is not an owner is not offered it, and the API refuses it.
  const mine = (await (await dana.request.get("/api/workspaces")).json()) as { workspaces: { id: string; name: string }[] };
  const acme = mine.workspaces.find((w) => w.name === "Acme Operations")!;
  await dana.goto(`/workspaces/${acme.id}`);
  await expect(dana.getByRole("heading", { name: "Acme Operations" })).toBeVisible();
  await expect(dana.getByRole("button", { name: "Rename…" })).toHaveCount(0);
  expect((await dana.request.patch(`/api/workspaces/${acme.id}`, { data: { name: "Dana's" } })).status()).toBe(403);
});
