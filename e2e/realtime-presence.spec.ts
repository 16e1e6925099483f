// Presence and rich text: who is here, who is in which field, and text typed by two at once.
import { createRecord, expect, getValues, keepScreenshot, openRecord, PEOPLE, richText, test } from "./fixtures";

test.describe("presence", () => {
  test("avatars show the other person, a ring and name tag show the field they are in, and they go when the tab closes", async ({ alice, dana }, testInfo) => {
    const record = await createRecord(alice, testInfo);
    await openRecord(alice, record.id);
    await openRecord(dana, record.id);

    const here = alice.getByRole("list", { name: "Also viewing" });
    await expect(here.getByTitle(PEOPLE.dana.name)).toBeVisible();
    await expect(here.getByTitle(PEOPLE.dana.name)).toHaveText(/DE/);
    await expect(dana.getByRole("list", { name: "Also viewing" }).getByTitle(PEOPLE.alice.name)).toBeVisible();

    await dana.getByLabel("Price", { exact: true }).focus();
    await expect(alice.getByTestId("editing-price")).toHaveText(PEOPLE.dana.name);
    await dana.getByLabel("Description", { exact: true }).click();
    await expect(alice.getByTestId("editing-price")).toHaveCount(0);
    await expect(alice.getByTestId("editing-description")).toHaveText(PEOPLE.dana.name);
    await keepScreenshot(alice, testInfo, "presence", false);

    await dana.close();
    await expect(here).toHaveCount(0, { timeout: 8_000 });
    await expect(alice.getByTestId("editing-description")).toHaveCount(0);
  });
});

test.describe("rich text", () => {
  test("two people typing in the same field at once converge to the same text", async ({ alice, dana }, testInfo) => {
    const warnings: string[] = [];
    for (const page of [alice, dana]) page.on("console", (message) => message.text().includes("Yjs was already imported") && warnings.push(message.text()));
    const record = await createRecord(alice, testInfo, { description: "<p>Start.</p>" });
    await openRecord(alice, record.id);
    await openRecord(dana, record.id);
    const aliceText = alice.getByLabel("Description", { exact: true });
    const danaText = dana.getByLabel("Description", { exact: true });
    await expect(aliceText).toHaveText("Start.");
    await expect(danaText).toHaveText("Start.");

    await aliceText.click();
    await alice.keyboard.press("End");
    await alice.keyboard.press("Enter");
    await danaText.click();
    await dana.keyboard.press("ControlOrMeta+Home");
    await Promise.all([alice.keyboard.type("Alice types here at the end.", { delay: 15 }), dana.keyboard.type("Dana first. ", { delay: 15 })]);

    const expected = "Dana first. Start.Alice types here at the end.";
    await expect.poll(() => richText(alice, "Description")).toBe(expected);
    await expect.poll(() => richText(dana, "Description")).toBe(expected);
    // The caret of the other person is drawn in the text.
    await expect(alice.locator(".collaboration-carets__label", { hasText: PEOPLE.dana.name })).toBeVisible();
    await keepScreenshot(alice, testInfo, "rich-text", false);
    expect(warnings, "Yjs must be loaded once in the browser").toEqual([]);

    // The checkpoint (after a pause in typing) reaches the record's values, and the form is not dirty.
    await expect.poll(async () => String((await getValues(alice, record.id)).values.description), { timeout: 15_000 }).toContain("Dana first. Start.");
    await expect(alice.getByTestId("save-status")).toHaveText(/Saved · v\d+/);
  });

  test("a viewer sees the rich text read-only", async ({ alice, victor }, testInfo) => {
    const record = await createRecord(alice, testInfo, { description: "<p>Read me.</p>" });
    await openRecord(victor, record.id);
    const text = victor.getByLabel("Description", { exact: true });
    await expect(text).toHaveText("Read me.");
    await expect(text).toHaveAttribute("contenteditable", "false");
  });
});
