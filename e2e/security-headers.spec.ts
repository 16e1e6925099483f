// Every page and API answer carries the hardening headers, and every page works under its
// Content-Security-Policy: Next's scripts and styles, TipTap and socket.io over WebSocket, with no
// violation (the fixtures fail any test whose pages report one).
import type { APIResponse, Response } from "@playwright/test";
import { createRecord, expect, openRecord, richText, test } from "./fixtures";

function expectHardened(response: Response | APIResponse | null, what: string) {
  expect(response, what).not.toBeNull();
  const headers = response!.headers();
  const policy = headers["content-security-policy"] ?? "";
  expect(policy, what).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
  expect(headers["x-frame-options"], what).toBe("DENY");
  return policy;
}

test("every page is served under a nonce-based policy, and works under it", async ({ alice }, testInfo) => {
  const record = await createRecord(alice, testInfo, { notes: "line one" });
  const pages = [
    "/",
    `/collections/${record.collectionId}`,
    `/collections/${record.collectionId}/new`,
    `/records/${record.id}`,
    `/records/${record.id}/history`,
  ];
  for (const path of pages) {
    const policy = expectHardened(await alice.goto(path), path);
    expect(policy, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(policy, path).not.toContain("unsafe-inline");
    await expect(alice.getByRole("banner")).toBeVisible();
  }
  const missing = await alice.goto("/no-such-page");
  expect(missing?.status()).toBe(404);
  expectHardened(missing, "the 404 page");
});

test("the live editor runs under the policy: rich text, carets and the socket", async ({ alice, dana }, testInfo) => {
  const record = await createRecord(alice, testInfo);
  await openRecord(alice, record.id);
  await openRecord(dana, record.id);
  const editor = alice.getByLabel("Description", { exact: true });
  await editor.click();
  await alice.keyboard.type("Typed under a strict policy");
  // It reaches the other person over the WebSocket, so the socket and TipTap both ran.
  await expect.poll(() => richText(dana, "Description")).toContain("Typed under a strict policy");
  // TipTap's own stylesheet was let in by the nonce.
  expect(await alice.evaluate(() => !!document.querySelector("style[data-tiptap-style]"))).toBe(true);
});

test("the sign-in page and the API answer with the headers too", async ({ page }) => {
  expectHardened(await page.goto("/sign-in"), "/sign-in");
  for (const path of ["/api/health", "/api/me", "/api/nope"]) {
    const response = await page.request.get(path);
    expectHardened(response, path);
    expect(response.headers()["content-security-policy"], path).toContain("default-src 'none'");
  }
});
