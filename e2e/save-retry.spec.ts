// After a failure the app recovers by itself: a save whose answer was lost is sent again, unchanged,
// when the connection returns; the same Idempotency-Key makes the server answer it once.
import { createRecord, expect, getValues, openRecord, test } from "./fixtures";

test("a save whose answer was lost is retried with the same Idempotency-Key when back online, and applied once", async ({ alice }, testInfo) => {
  const record = await createRecord(alice, testInfo, { notes: "before" });
  await openRecord(alice, record.id);
  const keys: string[] = [];
  const replayed: (string | undefined)[] = [];
  let isFirst = true;
  await alice.route(`**/api/records/${record.id}`, async (route) => {
    const request = route.request();
    if (request.method() !== "PATCH") return route.continue();
    keys.push((await request.headerValue("idempotency-key")) ?? "");
    if (!isFirst) {
      const response = await route.fetch();
      replayed.push(response.headers()["idempotent-replayed"]);
      return route.fulfill({ response });
    }
    isFirst = false;
    // The save reaches the server, then the connection drops before the answer comes back.
    await route.fetch();
    await alice.context().setOffline(true);
    await route.abort("internetdisconnected");
  });

  await alice.getByLabel("Notes", { exact: true }).fill("typed just before the train went into a tunnel");
  await alice.getByRole("button", { name: "Save" }).click();
  const notice = alice.getByRole("status").filter({ hasText: "Not saved yet" });
  await expect(notice).toContainText("sent again by itself as soon as the connection is back");
  await expect(alice.getByTestId("save-status")).toHaveText("Waiting to retry");
  await expect(alice.getByLabel("Notes", { exact: true })).toHaveValue("typed just before the train went into a tunnel");

  await alice.context().setOffline(false);
  await expect(alice.getByRole("status").filter({ hasText: "The connection is back: your save went through as v2" })).toBeVisible({ timeout: 20_000 });
  await expect(alice.getByTestId("save-status")).toHaveText("Saved · v2");
  expect(keys).toHaveLength(2);
  expect(keys[1]).toBe(keys[0]);
  expect(keys[0]).not.toBe("");
  expect(replayed).toEqual(["true"]);

  // Applied once: one new version, not two.
  const { version, values } = await getValues(alice, record.id);
  expect(version).toBe(2);
  expect(values.notes).toBe("typed just before the train went into a tunnel");
  const history = await alice.request.get(`/api/records/${record.id}/revisions`);
  expect(((await history.json()) as { revisions: unknown[] }).revisions).toHaveLength(2);
});
