// The team's pages on a 360 px phone: nothing wider than the screen.
import { expectFits } from "./fits";
import { createRecord, expect, test } from "./fixtures";

test("on a 360 px phone: workspace, members with a new link, delete confirmation, trash, invitation and setup fit", async ({
  alice,
  browser,
  baseURL,
}, testInfo) => {
  test.slow();
  await alice.setViewportSize({ width: 360, height: 740 });
  const workspaces = (await (await alice.request.get("/api/workspaces")).json()) as { workspaces: { id: string; name: string }[] };
  const acme = workspaces.workspaces.find((w) => w.name === "Acme Operations")!;
  await alice.goto(`/workspaces/${acme.id}`);
  await expect(alice.getByRole("heading", { name: "Acme Operations" })).toBeVisible();
  await expectFits(alice, "workspace");
  await alice.goto(`/workspaces/${acme.id}/members`);
  await alice.getByRole("button", { name: "Create invitation link" }).click();
  const link = await alice.getByLabel("Invitation link").inputValue();
  await alice.getByRole("button", { name: "Remove…" }).first().click();
  await expectFits(alice, "members");

  const record = await createRecord(alice, testInfo);
  await alice.goto(`/records/${record.id}`);
  await alice.getByRole("button", { name: "Delete…" }).click();
  await expectFits(alice, "delete confirmation");
  await alice.getByRole("group", { name: "Delete this record?" }).getByRole("button", { name: "Delete" }).click();
  await expect(alice.getByText("You deleted this record.")).toBeVisible();
  await expectFits(alice, "deleted, with undo");
  await alice.goto(`/collections/${record.collectionId}/trash`);
  await expect(alice.getByTestId("trash-row").first()).toBeVisible();
  await expectFits(alice, "trash");

  const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 740 } });
  const anonymous = await context.newPage();
  await anonymous.goto(link);
  await expect(anonymous.getByRole("button", { name: "Create account and join" })).toBeVisible();
  await expectFits(anonymous, "invitation");
  await anonymous.goto("/sign-up");
  await expect(anonymous.getByRole("button", { name: "Create account" })).toBeVisible();
  await expectFits(anonymous, "sign-up");
  await anonymous.goto("/setup");
  await expect(anonymous.getByText("Tandem is already set up.")).toBeVisible();
  await expectFits(anonymous, "setup");
  await context.close();
});
