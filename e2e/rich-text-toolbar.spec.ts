// The rich-text field's toolbar: bold, italic, lists and a link, saved into the record like any typing.
import { createRecord, expect, getValues, openRecord, PEOPLE, test } from "./fixtures";

test("bold, italic, a bulleted list and a link, each pressed state shown, reach the record", async ({ alice }, testInfo) => {
  const record = await createRecord(alice, testInfo, { description: "<p>Sturdy oak desk</p>" });
  await openRecord(alice, record.id);
  const text = alice.getByLabel("Description", { exact: true });
  const toolbar = alice.getByRole("toolbar", { name: "Formatting for Description" });
  await expect(text).toHaveText("Sturdy oak desk");

  await text.click();
  await alice.keyboard.press("ControlOrMeta+a");
  await toolbar.getByRole("button", { name: "Bold" }).click();
  await expect(toolbar.getByRole("button", { name: "Bold" })).toHaveAttribute("aria-pressed", "true");
  await expect(text.locator("strong")).toHaveText("Sturdy oak desk");
  await toolbar.getByRole("button", { name: "Italic" }).click();
  await expect(text.locator("em")).toHaveText("Sturdy oak desk");
  await toolbar.getByRole("button", { name: "Bulleted list" }).click();
  await expect(toolbar.getByRole("button", { name: "Bulleted list" })).toHaveAttribute("aria-pressed", "true");
  await expect(text.locator("ul > li")).toHaveText("Sturdy oak desk");

  // A link: a javascript: address is refused with a message, a bare domain gets https://.
  await toolbar.getByRole("button", { name: "Link" }).click();
  const address = alice.getByLabel("Link address");
  await address.fill("javascript:alert(1)");
  await address.press("Enter");
  await expect(alice.getByText("Type a web address (https://…) or an e-mail address")).toBeVisible();
  await address.fill("example.com/desks");
  await address.press("Enter");
  await expect(text.locator("a")).toHaveAttribute("href", "https://example.com/desks");

  // The live text is checkpointed into the record after a pause.
  await expect
    .poll(async () => (await getValues(alice, record.id)).values.description, { timeout: 20_000 })
    .toMatch(/<ul><li><p><a[^>]*href="https:\/\/example.com\/desks"[^>]*><strong><em>Sturdy oak desk<\/em><\/strong><\/a><\/p><\/li><\/ul>/);
});

test("the toolbar is not offered to a viewer", async ({ alice, victor }, testInfo) => {
  const record = await createRecord(alice, testInfo, { description: "<p>Read only</p>" });
  await openRecord(victor, record.id);
  await expect(victor.getByLabel("Description", { exact: true })).toHaveText("Read only");
  await expect(victor.getByRole("toolbar")).toHaveCount(0);
});

test("people in one record get distinct colours, the same in both their views", async ({ alice, dana }, testInfo) => {
  const record = await createRecord(alice, testInfo);
  await openRecord(alice, record.id);
  await openRecord(dana, record.id);
  const colourOf = (page: typeof alice, name: string) =>
    page
      .getByRole("list", { name: "Also viewing" })
      .getByTitle(name)
      .evaluate((el) => getComputedStyle(el).backgroundColor);
  const danaSeenByAlice = await colourOf(alice, PEOPLE.dana.name);
  const aliceSeenByDana = await colourOf(dana, PEOPLE.alice.name);
  expect(danaSeenByAlice).not.toBe(aliceSeenByDana);
  // Dana's name tag on the field she is in wears the same colour as her avatar.
  await dana.getByLabel("SKU", { exact: true }).focus();
  await expect(alice.getByTestId("editing-sku").locator("span")).toHaveCSS("background-color", danaSeenByAlice);
});
