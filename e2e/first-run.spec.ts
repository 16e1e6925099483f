// First run without the demo (TANDEM_SEED=false, empty database, sign-up closed): the first visitor
// is led from sign-in to setup, creates the owner account and the first workspace, and lands in it;
// after that setup is closed.
import { expect, test } from "@playwright/test";
import { startOwnServer, type OwnServer } from "./own-server";

let server: OwnServer;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await startOwnServer({ TANDEM_SEED: "false", TANDEM_OPEN_SIGNUP: "false" });
});

test.afterAll(async () => {
  await server?.stop();
});

test("the first visitor creates the owner account and the first workspace; then setup is closed", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await page.getByRole("button", { name: "Create owner account and workspace" }).click();
  await expect(page.getByText("Give your name")).toBeVisible();
  await page.getByLabel("Your name").fill("Fiona First");
  await page.getByLabel("Email").fill("fiona@example.test");
  await page.getByLabel(/^Password/).fill("first-owner-password");
  await page.getByLabel("Workspace name").fill("Fiona's team");
  await page.getByRole("button", { name: "Create owner account and workspace" }).click();
  await expect(page).toHaveURL(/\/workspaces\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "Fiona's team" })).toBeVisible();
  await expect(page.getByText("You are an owner")).toBeVisible();
  await expect(page.getByRole("link", { name: "Members and invitations" })).toBeVisible();

  const other = await browser.newContext({ baseURL: server.url });
  const late = await other.newPage();
  await late.goto("/setup");
  await expect(late.getByText("Tandem is already set up.")).toBeVisible();
  await late.goto("/sign-in");
  await expect(late.getByRole("button", { name: /Sign in/ })).toBeVisible();
  await expect(late).toHaveURL(/\/sign-in/);
  await other.close();
  await context.close();
});
