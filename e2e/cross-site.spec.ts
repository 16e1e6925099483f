// An attacker's page on another port of the same host: same site, so Chromium sends the victim's
// SameSite=Lax session cookie with its requests. It tries to create a record (beacons and no-cors
// fetches need no CORS preflight), to open the victim's socket, and to show Tandem in a frame.
// Nothing of it works.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "./fixtures";

type Attacker = { origin: string; close: () => Promise<void> };

/** Serves one page of HTML on a free port of 127.0.0.1. */
async function startAttacker(html: string): Promise<Attacker> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test("a page on another port can neither create records nor open the victim's socket", async ({ alice, baseURL }) => {
  const app = new URL(baseURL!);
  expect(app.hostname, "the attack needs the app on 127.0.0.1, as the e2e runner serves it").toBe("127.0.0.1");
  const me = (await (await alice.request.get("/api/me")).json()) as { collections: { id: string; name: string }[] };
  const collectionId = me.collections.find((c) => c.name === "Inventory")!.id;
  const marker = `CSRF ${Date.now().toString(36)}`;
  const target = `${app.origin}/api/collections/${collectionId}/records`;
  const body = JSON.stringify({ values: { name: marker, sku: marker } });
  const attacker = await startAttacker(`<!doctype html><title>Win a prize</title><script>
    const target = ${JSON.stringify(target)}, body = ${JSON.stringify(body)};
    window.attack = async () => {
      navigator.sendBeacon(target, new Blob([body]));                              // no content type at all
      navigator.sendBeacon(target, body);                                          // text/plain
      await fetch(target, { method: "POST", mode: "no-cors", credentials: "include", body: new Blob([body]) }).catch(() => {});
      await fetch(target, { method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" }, body }).catch(() => {});
      const socket = await new Promise((resolve) => {
        const ws = new WebSocket(${JSON.stringify(`ws://${app.host}/socket.io/?EIO=4&transport=websocket`)});
        ws.onmessage = (event) => { if (String(event.data).startsWith("0")) ws.send("40"); else if (String(event.data).startsWith("40")) resolve("connected as the victim"); };
        ws.onerror = () => resolve("refused");
        ws.onclose = () => resolve("refused");
      });
      return socket;
    };
  </script>`);
  try {
    const answers: number[] = [];
    alice.on("response", (response) => {
      if (response.url() === target) answers.push(response.status());
    });
    await alice.goto(attacker.origin);
    expect(await alice.evaluate(() => (window as unknown as { attack: () => Promise<string> }).attack())).toBe("refused");
    // Each of the four reached the server and was refused there.
    await expect.poll(() => answers.length).toBe(4);
    for (const status of answers) expect([403, 415]).toContain(status);
    const search = await alice.request.get(`/api/collections/${collectionId}/records?q=${encodeURIComponent(marker)}`);
    expect(((await search.json()) as { records: unknown[] }).records).toEqual([]);
  } finally {
    await attacker.close();
  }
});

test("Tandem does not render inside another site's frame", async ({ browser, baseURL }) => {
  const attacker = await startAttacker(`<!doctype html><title>Framed</title>
    <iframe id="victim" src="${baseURL}/sign-in" width="800" height="600" onload="window.frameLoaded = true"></iframe>`);
  // A context of its own: the refusal is a violation of Tandem's policy, reported on this page.
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const refusals: string[] = [];
    page.on("console", (message) => {
      if (/frame-ancestors/.test(message.text())) refusals.push(message.text());
    });
    await page.goto(attacker.origin);
    await page.waitForFunction(() => (window as unknown as { frameLoaded?: boolean }).frameLoaded === true);
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    await expect(frame.getByRole("heading", { name: "Sign in to Tandem" })).toHaveCount(0);
    await expect(frame.getByLabel("Email")).toHaveCount(0);
    await expect.poll(() => refusals.length).toBeGreaterThan(0);
    // The same page opened directly renders, so the frame was empty because of the refusal.
    await page.goto(`${baseURL}/sign-in`);
    await expect(page.getByRole("heading", { name: "Sign in to Tandem" })).toBeVisible();
  } finally {
    await context.close();
    await attacker.close();
  }
});
