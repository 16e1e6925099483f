// Accessibility (axe, WCAG 2.1 AA, light and dark) of the pages a team's people use: workspace,
// members and invitations, the invitation page, first-run setup, a record's delete confirmation
// and the trash.
import { expectAccessible } from "./axe";
import { createRecord, expect, test } from "./fixtures";

for (const scheme of ["light", "dark"] as const) {
  test(`${scheme} mode: workspace, members, invitation, setup, delete and trash`, async ({ alice, browser, baseURL }, testInfo) => {
    test.slow();
    await alice.emulateMedia({ colorScheme: scheme });
    const workspaces = (await (await alice.request.get("/api/workspaces")).json()) as { workspaces: { id: string; name: string }[] };
    const acme = workspaces.workspaces.find((w) => w.name === "Acme Operations")!;
    await alice.goto(`/workspaces/${acme.id}`);
    await expect(alice.getByRole("heading", { name: "Acme Operations" })).toBeVisible();
    await expectAccessible(alice, "workspace");
    await alice.goto(`/workspaces/${acme.id}/members`);
    await alice.getByRole("button", { name: "Create invitation link" }).click();
    const link = await alice.getByLabel("Invitation link").inputValue();
    await alice.getByRole("button", { name: "Remove…" }).first().click();
    await expectAccessible(alice, "members");
    await alice.goto("/workspaces/new");
    await expect(alice.getByLabel("Workspace name")).toBeVisible();
    await expectAccessible(alice, "new workspace");

    const record = await createRecord(alice, testInfo);
    await alice.goto(`/records/${record.id}`);
    await alice.getByRole("button", { name: "Delete…" }).click();
    await expect(alice.getByRole("group", { name: "Delete this record?" })).toBeVisible();
    await expectAccessible(alice, "delete confirmation");
    await alice.getByRole("group", { name: "Delete this record?" }).getByRole("button", { name: "Delete" }).click();
    await expect(alice.getByText("You deleted this record.")).toBeVisible();
    await expectAccessible(alice, "deleted, with undo");
    await alice.goto(`/collections/${record.collectionId}/trash`);
    await expect(alice.getByTestId("trash-row").first()).toBeVisible();
    await expectAccessible(alice, "trash");

    const context = await browser.newContext({ baseURL, colorScheme: scheme });
    const anonymous = await context.newPage();
    await anonymous.goto(link);
    await expect(anonymous.getByRole("button", { name: "Create account and join" })).toBeVisible();
    await expectAccessible(anonymous, "invitation");
    await anonymous.goto("/sign-up");
    await expect(anonymous.getByRole("button", { name: "Create account" })).toBeVisible();
    await expectAccessible(anonymous, "sign-up");
    await anonymous.goto("/setup");
    await expect(anonymous.getByText("Tandem is already set up.")).toBeVisible();
    await expectAccessible(anonymous, "setup (closed)");
    await context.close();
  });
}
