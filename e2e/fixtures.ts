// Shared set-up for the e2e tests: one browser context per person, signed in through the API,
// and a fresh Inventory record per test so tests never share data.
import {
  test as base,
  expect,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
  type TestInfo,
} from "@playwright/test";
import fs from "node:fs/promises";
import path from "node:path";

export const PASSWORD = "tandem-demo";
export const PEOPLE = {
  alice: { email: "alice@tandem.test", name: "Alice Owner" },
  dana: { email: "dana@tandem.test", name: "Dana Editor" },
  victor: { email: "victor@tandem.test", name: "Victor Viewer" },
} as const;
type Person = keyof typeof PEOPLE;

export type SeededRecord = { id: string; collectionId: string; name: string; sku: string; etag: string };

/**
 * Collects every Content-Security-Policy violation in a context's pages (the event each page
 * fires, and the browser's console report): the app must run under its policy untouched.
 */
export async function watchCsp(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.exposeBinding("__tandemCspViolation", ({ page }, text: string) => void violations.push(`${page.url()}: ${text}`));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __tandemCspViolation?: (text: string) => void }).__tandemCspViolation;
      report?.(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  context.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`console: ${message.text()}`);
  });
  return violations;
}

const cspWatches = new WeakMap<BrowserContext, string[]>();

async function closeChecked(context: BrowserContext) {
  const violations = cspWatches.get(context) ?? [];
  await context.close();
  expect(violations, "Content-Security-Policy violations").toEqual([]);
}

/** A new browser context signed in as `who`; options such as `locale` or `colorScheme` pass through. */
export async function signInContext(browser: Browser, baseURL: string, who: Person, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL, ...options });
  cspWatches.set(context, await watchCsp(context));
  const response = await context.request.post("/api/auth/sign-in/email", {
    data: { email: PEOPLE[who].email, password: PASSWORD },
    headers: { origin: baseURL },
  });
  expect(response.ok(), `sign-in as ${who}`).toBeTruthy();
  return context.newPage();
}

async function inventoryId(request: APIRequestContext): Promise<string> {
  const response = await request.get("/api/me");
  expect(response.ok()).toBeTruthy();
  const body = (await response.json()) as { collections: { id: string; name: string }[] };
  const inventory = body.collections.find((c) => c.name === "Inventory");
  if (!inventory) throw new Error("the seeded Inventory collection is missing");
  return inventory.id;
}

/** POSTs a record as the page's user: a unique name and SKU, plus any values given. */
export async function createRecord(page: Page, testInfo: TestInfo, values: Record<string, unknown> = {}): Promise<SeededRecord> {
  const collectionId = await inventoryId(page.request);
  const unique = `${testInfo.workerIndex}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const name = `E2E item ${unique}`;
  const sku = `E2E-${unique}`.slice(0, 40);
  const response = await page.request.post(`/api/collections/${collectionId}/records`, { data: { values: { name, sku, ...values } } });
  expect(response.status(), await response.text()).toBe(201);
  const record = (await response.json()) as { id: string };
  return { id: record.id, collectionId, name: (values.name as string) ?? name, sku, etag: response.headers().etag ?? "" };
}

/** Saves through the API, as someone else would from another tab. */
export async function apiSave(page: Page, recordId: string, values: Record<string, unknown>): Promise<string> {
  const current = await page.request.get(`/api/records/${recordId}`);
  const response = await page.request.patch(`/api/records/${recordId}`, { data: { values }, headers: { "if-match": current.headers().etag ?? "" } });
  expect(response.status(), await response.text()).toBe(200);
  return response.headers().etag ?? "";
}

export async function getValues(page: Page, recordId: string): Promise<{ version: number; values: Record<string, unknown> }> {
  const response = await page.request.get(`/api/records/${recordId}`);
  expect(response.ok()).toBeTruthy();
  return (await response.json()) as { version: number; values: Record<string, unknown> };
}

/** A screenshot kept under e2e/artifacts/ and attached to the report. */
export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string, fullPage = true) {
  const file = path.join("e2e", "artifacts", `${name}.png`);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

/** The text of a rich-text editor without the carets (and name labels) of other people. */
export async function richText(page: Page, label: string): Promise<string> {
  return page.getByLabel(label, { exact: true }).evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collaboration-carets__caret").forEach((caret) => caret.remove());
    return copy.textContent ?? "";
  });
}

export async function openRecord(page: Page, recordId: string) {
  await page.goto(`/records/${recordId}`);
  await expect(page.getByTestId("save-status")).toBeVisible();
}

type Fixtures = { alice: Page; dana: Page; victor: Page };

export const test = base.extend<Fixtures>({
  context: async ({ context }, use) => {
    const violations = await watchCsp(context);
    await use(context);
    expect(violations, "Content-Security-Policy violations").toEqual([]);
  },
  alice: async ({ browser, baseURL }, use) => {
    const page = await signInContext(browser, baseURL!, "alice");
    await use(page);
    await closeChecked(page.context());
  },
  dana: async ({ browser, baseURL }, use) => {
    const page = await signInContext(browser, baseURL!, "dana");
    await use(page);
    await closeChecked(page.context());
  },
  victor: async ({ browser, baseURL }, use) => {
    const page = await signInContext(browser, baseURL!, "victor");
    await use(page);
    await closeChecked(page.context());
  },
});

export { expect };
