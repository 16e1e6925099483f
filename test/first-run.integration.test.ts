// First run without the demo (issue 12): on an empty database the first visitor creates the owner
// account and the first workspace; two at once give one owner; afterwards the path is closed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "./client";
import { newDatabase } from "./db";
import { startTestServer, type TestServer } from "./server";

let server: TestServer;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await newDatabase();
  drop = db.drop;
  server = await startTestServer({ DATABASE_URL: db.url, TANDEM_SEED: "false", TANDEM_OPEN_SIGNUP: "false" });
});

afterAll(async () => {
  await server?.stop();
  await drop?.();
});

const setup = (json: unknown) =>
  new ApiClient(server.url).request<{ workspace?: { id: string; name: string; role: string }; fields?: Record<string, string>; message?: string }>(
    "POST",
    "/api/setup",
    { json },
  );

describe("first run", () => {
  it("refuses bad input naming each field (422) and creates nothing", async () => {
    expect((await new ApiClient(server.url).get<{ isFirstRun: boolean }>("/api/setup")).body.isFirstRun).toBe(true);
    const res = await setup({ name: "", email: "not an email", password: "short", workspaceName: " " });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.fields!).sort()).toEqual(["email", "name", "password", "workspaceName"]);
    expect((await new ApiClient(server.url).get<{ isFirstRun: boolean }>("/api/setup")).body.isFirstRun).toBe(true);
  });

  it("two first visitors at once: one becomes the owner of the first workspace, the other is refused (409); then the path is closed", async () => {
    const [a, b] = await Promise.all(
      ["a", "b"].map((who) =>
        setup({ name: `First ${who}`, email: `first-${who}@example.test`, password: "correct horse battery", workspaceName: `Team ${who}` }),
      ),
    );
    expect([a!.status, b!.status].sort()).toEqual([201, 409]);
    const winner = a!.status === 201 ? "a" : "b";
    const owner = new ApiClient(server.url);
    expect(
      (await owner.request("POST", "/api/auth/sign-in/email", { json: { email: `first-${winner}@example.test`, password: "correct horse battery" } })).status,
    ).toBe(200);
    const list = await owner.get<{ workspaces: { name: string; role: string }[] }>("/api/workspaces");
    expect(list.body.workspaces).toEqual([expect.objectContaining({ name: `Team ${winner}`, role: "owner" })]);
    const loser = winner === "a" ? "b" : "a";
    expect(
      (
        await new ApiClient(server.url).request("POST", "/api/auth/sign-in/email", {
          json: { email: `first-${loser}@example.test`, password: "correct horse battery" },
        })
      ).status,
    ).toBe(401);

    expect((await new ApiClient(server.url).get<{ isFirstRun: boolean }>("/api/setup")).body.isFirstRun).toBe(false);
    expect((await setup({ name: "Late", email: "late@example.test", password: "correct horse battery", workspaceName: "Late" })).status).toBe(409);
    expect((await setup({})).status).toBe(409);
    const signUp = await new ApiClient(server.url).request("POST", "/api/auth/sign-up/email", {
      json: { email: "open@example.test", name: "Open", password: "correct horse battery" },
    });
    expect(signUp.status).toBe(403);
  });
});

describe("the demo with sign-up closed", () => {
  let demo: TestServer | undefined;
  let dropDemo: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await demo?.stop();
    await dropDemo?.();
  });

  it("npm start's demo accounts are made from inside the server (the gate lets the seed through), and setup is closed", async () => {
    const db = await newDatabase();
    dropDemo = db.drop;
    demo = await startTestServer({ DATABASE_URL: db.url, TANDEM_SEED: "true", TANDEM_OPEN_SIGNUP: "false" });
    const alice = new ApiClient(demo.url);
    expect((await alice.request("POST", "/api/auth/sign-in/email", { json: { email: "alice@tandem.test", password: "tandem-demo" } })).status).toBe(200);
    const list = await alice.get<{ workspaces: { name: string; role: string }[] }>("/api/workspaces");
    expect(list.body.workspaces).toEqual([expect.objectContaining({ name: "Acme Operations", role: "owner" })]);
    expect((await new ApiClient(demo.url).get<{ isFirstRun: boolean }>("/api/setup")).body.isFirstRun).toBe(false);
  });
});
