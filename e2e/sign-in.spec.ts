import { expect, PASSWORD, PEOPLE, test } from "./fixtures";

test("signs in with the labelled form and lands on the collections", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("Email", { exact: true }).fill(PEOPLE.alice.email);
  await page.getByLabel("Password", { exact: true }).fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong email or password.")).toBeVisible();

  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Collections" })).toBeVisible();
  await expect(page.getByRole("link", { name: /Inventory/ })).toContainText("records");
});

test.describe("after sign-in, next= only leads to a page of Tandem", () => {
  // The three, as typed in the address bar, and the rest of the class.
  for (const next of ["/\\evil.test", "/%09/evil.test", "/%5C%5Cevil.test", "//evil.test", "/.//evil.test", "https://evil.test/", "javascript:alert(1)"]) {
    test(`next=${next} stays on the site`, async ({ page, baseURL }) => {
      await page.goto(`/sign-in?next=${next}`);
      await page.getByLabel("Email", { exact: true }).fill(PEOPLE.alice.email);
      await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("heading", { name: "Collections" })).toBeVisible();
      expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
    });
  }

  test("a path of the site is followed", async ({ page }) => {
    await page.goto(`/sign-in?next=${encodeURIComponent("/?from=sign-in#top")}`);
    await page.getByLabel("Email", { exact: true }).fill(PEOPLE.alice.email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Collections" })).toBeVisible();
    await expect(page).toHaveURL(/\/\?from=sign-in#top$/);
  });
});
