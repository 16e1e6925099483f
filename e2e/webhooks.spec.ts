// Webhooks in the browser: an owner adds an endpoint (a refused URL keeps what was typed), copies
// the secret shown once, watches deliveries arrive in the log, redelivers one, and sees the notice
// when a failing endpoint is disabled, then enables it again. Others are told it is for owners.
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { apiSave, createRecord, expect, keepScreenshot, test } from "./fixtures";

type Hit = { eventId: string; recordId: string; version: number; isSigned: boolean };

async function startReceiver() {
  const hits: Hit[] = [];
  const state = { secret: "", isFailing: false };
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      const body = JSON.parse(raw) as { record: { id: string; version: number } };
      const expected = createHmac("sha256", state.secret).update(`${req.headers["tandem-timestamp"]}.${raw}`).digest("hex");
      const isSigned = String(req.headers["tandem-signature"]).split(",").includes(`v1=${expected}`);
      if (!state.isFailing) hits.push({ eventId: String(req.headers["tandem-event-id"]), recordId: body.record.id, version: body.record.version, isSigned });
      res.writeHead(state.isFailing ? 500 : 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    hits,
    state,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

test("an owner adds a webhook, sees its deliveries, redelivers one, and is told when it was disabled", async ({ alice }, testInfo) => {
  const receiver = await startReceiver();
  try {
    await alice.goto("/");
    await alice.getByRole("link", { name: "Webhooks" }).click();
    await expect(alice.getByRole("heading", { name: "Webhooks" })).toBeVisible();
    await alice.getByRole("button", { name: "Add a webhook" }).click();
    const url = alice.getByLabel("Receiver URL");
    await url.fill("ftp://files.example.com/in");
    await alice.getByLabel("Description").fill("Stock sync");
    await alice.getByRole("button", { name: "Add webhook" }).click();
    await expect(alice.getByText("Only http and https URLs can receive webhooks")).toBeVisible();
    await expect(url).toHaveValue("ftp://files.example.com/in");
    await expect(alice.getByLabel("Description")).toHaveValue("Stock sync");

    await url.fill(receiver.url);
    await alice.getByRole("button", { name: "Add webhook" }).click();
    const dialog = alice.getByRole("dialog", { name: "Webhook created" });
    await expect(dialog).toBeVisible();
    receiver.state.secret = await dialog.getByLabel("Signing secret").inputValue();
    expect(receiver.state.secret).toMatch(/^whsec_/);
    await dialog.getByRole("button", { name: "I have copied it" }).click();
    const card = alice.getByRole("article", { name: `Webhook to ${receiver.url}` });
    await expect(card.getByText("Active")).toBeVisible();

    // A save reaches the receiver, signed, and shows in the log.
    const record = await createRecord(alice, testInfo, { stock: 3 });
    await apiSave(alice, record.id, { stock: 4 });
    await expect.poll(() => receiver.hits.filter((h) => h.recordId === record.id).map((h) => h.version)).toEqual([1, 2]);
    expect(receiver.hits.every((h) => h.isSigned)).toBe(true);
    await card.getByRole("button", { name: "Deliveries" }).click();
    const row = card.getByTestId("delivery").filter({ has: alice.locator(`a[href="/records/${record.id}/history"]`, { hasText: "v2" }) });
    await expect(row.getByText("Delivered", { exact: true })).toBeVisible();
    await row.getByRole("button", { name: "Redeliver" }).click();
    await expect(card.getByText("is being sent again, with the same event id")).toBeVisible();
    await expect.poll(() => receiver.hits.filter((h) => h.recordId === record.id && h.version === 2).length).toBe(2);
    const [first, again] = receiver.hits.filter((h) => h.recordId === record.id && h.version === 2);
    expect(again!.eventId).toBe(first!.eventId);

    // The receiver breaks: ten attempts later the endpoint is disabled, and owners are told.
    receiver.state.isFailing = true;
    await apiSave(alice, record.id, { stock: 5 });
    await expect
      .poll(
        async () => {
          await alice.reload();
          return alice
            .getByRole("article", { name: `Webhook to ${receiver.url}` })
            .getByText("Disabled", { exact: true })
            .isVisible();
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    await expect(card.getByText(/Disabled after 10 failed attempts/)).toBeVisible();
    await alice.goto("/");
    await expect(alice.getByRole("alert").filter({ hasText: "is disabled: nothing is sent to it until it is enabled again" })).toBeVisible();
    await alice.getByRole("link", { name: "Webhooks" }).click();
    receiver.state.isFailing = false;
    await card.getByRole("button", { name: "Enable" }).click();
    await expect(card.getByText("Active")).toBeVisible();
    await expect.poll(() => receiver.hits.filter((h) => h.recordId === record.id).map((h) => h.version)).toContain(3);
    await card.getByRole("button", { name: "Deliveries" }).click();
    await expect(card.getByTestId("delivery").first()).toBeVisible();
    await keepScreenshot(alice, testInfo, "webhooks");
  } finally {
    // Take the endpoint away with the receiver: later tests' saves must not be sent to a closed port.
    const list = (await (await alice.request.get(`/api/me`)).json()) as { collections: { workspaceId: string }[] };
    const workspaceId = list.collections[0]!.workspaceId;
    const hooks = (await (await alice.request.get(`/api/workspaces/${workspaceId}/webhooks`)).json()) as { webhooks: { id: string; url: string }[] };
    for (const hook of hooks.webhooks.filter((h) => h.url === receiver.url)) await alice.request.delete(`/api/webhooks/${hook.id}`);
    await receiver.close();
  }
});

test("webhooks are for owners: an editor has no link and is told so at the address", async ({ dana }) => {
  await dana.goto("/");
  await expect(dana.getByRole("heading", { name: /Collections/ })).toBeVisible();
  await expect(dana.getByRole("link", { name: "Webhooks" })).toHaveCount(0);
  const me = (await (await dana.request.get("/api/me")).json()) as { collections: { workspaceId: string }[] };
  await dana.goto(`/workspaces/${me.collections[0]!.workspaceId}/webhooks`);
  await expect(dana.getByText("Only the workspace's owners manage its webhooks")).toBeVisible();
});
