// The contention page in the browser: after stale saves of a number and auto-merged saves of a long
// text on one record, its owner sees the charts drawn, the record and the fields named (linking to
// the record's history), and advice, and sets the text to always ask from it. An editor cannot open it.
import { expect, keepScreenshot, test } from "./fixtures";

const STALE = 5;
const MERGES = 20;

type Me = { collections: { id: string; workspaceId: string; name: string }[] };

test("an owner sees the charts, the hot record and field, and advice after contention", async ({ alice, dana }, testInfo) => {
  // Customer accounts, which no other test changes the merge policy of under its feet.
  const me = (await (await alice.request.get("/api/me")).json()) as Me;
  const accounts = me.collections.find((c) => c.name === "Customer accounts")!;
  const company = `Contended ${testInfo.workerIndex}-${Date.now().toString(36)}`;
  const created = await alice.request.post(`/api/collections/${accounts.id}/records`, {
    data: { values: { company, arr: 100, notes: "first\nmiddle\nlast" } },
  });
  expect(created.status()).toBe(201);
  const record = { id: ((await created.json()) as { id: string }).id, etag: created.headers().etag! };
  const save = (page: typeof alice, values: Record<string, unknown>, etag: string, prefer = false) =>
    page.request.patch(`/api/records/${record.id}`, { data: { values }, headers: { "if-match": etag, ...(prefer ? { prefer: "merge" } : {}) } });

  // Alice moves the revenue on by one; Dana's copy still says 100 and types 99, five times: five refusals.
  const moved = await save(alice, { arr: 101 }, record.etag);
  expect(moved.status()).toBe(200);
  for (let i = 0; i < STALE; i++) expect((await save(dana, { arr: 99 }, record.etag)).status()).toBe(412);
  // Alice rewrites the first line of the notes, Dana, from the version before, the last: merged by itself.
  let etag = moved.headers().etag!;
  for (let i = 0; i < MERGES; i++) {
    expect((await save(alice, { notes: `alice ${i}\nmiddle\n${i === 0 ? "last" : `dana ${i - 1}`}` }, etag)).status()).toBe(200);
    const merged = await save(dana, { notes: `${i === 0 ? "first" : `alice ${i - 1}`}\nmiddle\ndana ${i}` }, etag, true);
    expect(merged.status(), await merged.text()).toBe(200);
    etag = merged.headers().etag!;
  }

  await alice.goto("/");
  await expect(alice.getByRole("main").getByRole("link", { name: "Contention" })).toBeVisible();
  await alice.getByRole("banner").getByRole("link", { name: "Contention" }).click();
  await expect(alice.getByRole("heading", { name: "Contention", level: 1 })).toBeVisible();
  for (const title of [
    "Saves, refusals and auto-merges per minute",
    "Concurrent edits that interrupted nobody",
    "Save latency (server)",
    "Retries and lock waits",
  ]) {
    await expect(alice.getByRole("figure", { name: title }).locator(".recharts-wrapper > svg.recharts-surface")).toBeVisible();
  }
  // the lines are drawn from the data
  await expect(alice.getByRole("figure", { name: "Saves, refusals and auto-merges per minute" }).locator(".recharts-line-curve").first()).toBeAttached();

  const hotRecords = alice.getByRole("region", { name: "Hottest records (last day)" });
  await expect(hotRecords.getByRole("link", { name: company })).toHaveAttribute("href", `/records/${record.id}/history`);
  const hotFields = alice.getByRole("region", { name: "Fields that conflict most (last day)" });
  await expect(hotFields.getByRole("row", { name: new RegExp(`^Annual revenue on ${company}`) })).toBeVisible();
  await expect(hotFields.getByRole("row", { name: new RegExp(`^Notes on ${company}`) })).toBeVisible();

  const advice = alice.getByRole("region", { name: "Advice" });
  await expect(advice.getByText(`Annual revenue on '${company}' was refused in 83 % of 6 saves in the last hour`)).toBeVisible();
  const offer = advice.getByRole("listitem").filter({ hasText: `Notes on '${company}' was auto-merged ${MERGES} times in the last hour` });
  await expect(offer).toBeVisible();
  await keepScreenshot(alice, testInfo, "contention-page");
  await offer.getByRole("button", { name: "Set to always ask" }).click();
  await expect(advice.getByText(`Notes on '${company}' would have been auto-merged ${MERGES} times in the last hour; it is set to always ask`)).toBeVisible();
  const fields = ((await (await alice.request.get(`/api/collections/${accounts.id}`)).json()) as { fields: { key: string; alwaysAsk?: boolean }[] }).fields;
  expect(fields.find((f) => f.key === "notes")?.alwaysAsk).toBe(true);
  await alice.getByRole("link", { name: company }).first().click();
  await expect(alice).toHaveURL(new RegExp(`/records/${record.id}/history$`));
});

test("an editor is told the contention page is for owners", async ({ dana }) => {
  const me = (await (await dana.request.get("/api/me")).json()) as Me;
  const workspaceId = me.collections.find((c) => c.name === "Inventory")!.workspaceId;
  await dana.goto("/");
  await expect(dana.getByRole("link", { name: "Contention" })).toHaveCount(0);
  await dana.goto(`/workspaces/${workspaceId}/contention`);
  const refusal = dana.getByRole("main").getByRole("alert");
  await expect(refusal).toContainText("Contention is for owners");
  await expect(refusal).toContainText("Only the workspace's owners see its contention.");
  await expect(dana.locator("svg.recharts-surface")).toHaveCount(0);
});
