// An import whose server is killed mid-job (issue 12): on a second server process over the same
// database, the import page lists it as interrupted with how far it got, and choosing the same file
// resumes it where it stopped, importing no row twice.
import { randomBytes } from "node:crypto";
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { startOwnServer, type OwnServer } from "./own-server";

const SECRET = randomBytes(32).toString("hex");
const CRASH = "crash-here";
let first: OwnServer | undefined;
let second: OwnServer | undefined;

test.afterAll(async () => {
  await second?.stop();
  await first?.stop();
});

/** 1,500 rows; those of the second batch of 500 are tagged so that the first server dies right after writing it. */
function csv(): string {
  let text = "Name,Tag\n";
  for (let i = 1; i <= 1500; i++) text += `Part ${i},${i > 500 && i <= 1000 ? CRASH : "ok"}\n`;
  return text;
}

async function signedIn(baseURL: string): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
  const res = await api.post("/api/auth/sign-in/email", { data: { email: "alice@tandem.test", password: "tandem-demo" } });
  expect(res.status()).toBe(200);
  return api;
}

test("an import interrupted by its server stopping is listed as such, and the same file resumes it where it stopped", async ({ browser }) => {
  test.setTimeout(240_000);
  const env = { TANDEM_IMPORT_LEASE_MS: "1000", BETTER_AUTH_SECRET: SECRET };
  first = await startOwnServer({ ...env, TANDEM_TEST_CRASH_ON_VALUE: CRASH });
  const api = await signedIn(first.url);
  const workspaces = (await (await api.get("/api/workspaces")).json()) as { workspaces: { id: string }[] };
  const created = await api.post(`/api/workspaces/${workspaces.workspaces[0]!.id}/collections`, {
    data: {
      name: "Parts",
      fields: [
        { key: "name", label: "Name", type: "text", required: true },
        { key: "tag", label: "Tag", type: "text" },
      ],
    },
  });
  expect(created.status()).toBe(201);
  const collectionId = ((await created.json()) as { id: string }).id;
  const body = csv();
  // The answer (202) may or may not arrive before the process dies.
  await api
    .post(`/api/collections/${collectionId}/imports?wait=0`, { data: body, headers: { "content-type": "text/csv", "idempotency-key": "e2e-resume" } })
    .catch(() => null);
  await first.exited;
  await api.dispose();

  second = await startOwnServer(env, { database: first.database });
  const context = await browser.newContext({ baseURL: second.url });
  const login = await context.request.post("/api/auth/sign-in/email", {
    data: { email: "alice@tandem.test", password: "tandem-demo" },
    headers: { origin: second.url },
  });
  expect(login.status()).toBe(200);
  const page = await context.newPage();
  await page.goto(`/collections/${collectionId}/import`);
  const interrupted = page.getByRole("region", { name: "Interrupted imports" });
  await expect(interrupted).toContainText("stopped after 1,000 of 1,500 rows (1,000 records imported)");

  // Another file is not taken for it.
  await interrupted.getByLabel("Same CSV file").setInputFiles({ name: "other.csv", mimeType: "text/csv", buffer: Buffer.from("Name,Tag\nX,ok\n") });
  await interrupted.getByRole("button", { name: "Resume import" }).click();
  await expect(interrupted.getByRole("alert")).toHaveText("That is not the file this import was started with: choose the same file.");

  await interrupted.getByLabel("Same CSV file").setInputFiles({ name: "parts.csv", mimeType: "text/csv", buffer: Buffer.from(body) });
  await interrupted.getByRole("button", { name: "Resume import" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported" })).toHaveText("Imported 1,500 records; 0 rows skipped.", { timeout: 30_000 });
  await expect(page.getByRole("region", { name: "Interrupted imports" })).toHaveCount(0);

  const records = await context.request.get(`/api/collections/${collectionId}`);
  expect(((await records.json()) as { recordCount: number }).recordCount).toBe(1500);
  await context.close();
});
