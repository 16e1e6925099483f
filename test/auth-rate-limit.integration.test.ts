// Sign-in and sign-up are limited per address and per account, counted in PostgreSQL so that two
// server processes share the count; an exceeded limit is a JSON 429 with Retry-After. Addresses
// are real: loopback answers on all of 127.0.0.0/8, so each "client" binds its own source address.
import http from "node:http";
import { describe, expect, it } from "vitest";
import { eventually } from "./socket-client";
import { uniqueId } from "./factories";
import { useTestServer } from "./server";

const ADDRESS_WINDOW_S = 8;
const ENV = {
  TANDEM_AUTH_ADDRESS_LIMIT: "4",
  TANDEM_AUTH_ADDRESS_WINDOW_S: String(ADDRESS_WINDOW_S),
  TANDEM_AUTH_ACCOUNT_LIMIT: "3",
  TANDEM_AUTH_ACCOUNT_WINDOW_S: "600",
};
const serverA = useTestServer(ENV);
const serverB = useTestServer(ENV);
// Behind a proxy on loopback: the client is the last address before the trusted hops.
const behindProxy = useTestServer({ ...ENV, TANDEM_TRUSTED_PROXIES: "127.0.0.0/8, ::1" });

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: Record<string, unknown>; cookies: string[] };

/** A JSON POST from a given source address (a client of its own to the limiter). */
function postFrom(address: string, baseUrl: string, path: string, json: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(path, baseUrl);
  const body = JSON.stringify(json);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        localAddress: address,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : {}, cookies: res.headers["set-cookie"] ?? [] }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

// Every test takes addresses of its own, so no test counts against another.
let nextHost = 10;
const freshAddress = () => `127.0.${Math.floor(nextHost / 250)}.${(nextHost++ % 250) + 2}`;

const PASSWORD = "correct horse battery";

async function createAccount(): Promise<string> {
  const email = `limited-${uniqueId()}@example.test`;
  const res = await postFrom(freshAddress(), serverA.url, "/api/auth/sign-up/email", { email, name: "Limited", password: PASSWORD });
  expect(res.status).toBe(200);
  return email;
}

const signIn = (address: string, baseUrl: string, email: string, password: string) =>
  postFrom(address, baseUrl, "/api/auth/sign-in/email", { email, password });

function expectTooMany(res: Answer, maxSeconds: number) {
  expect(res.status).toBe(429);
  expect(res.headers["content-type"]).toContain("application/json");
  expect(res.body.error).toBe("too_many_requests");
  expect(res.body.message).toMatch(/too many attempts/i);
  const retryAfter = Number(res.headers["retry-after"]);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
  expect(res.body.retryAfter).toBe(retryAfter);
  expect(res.cookies).toEqual([]);
}

describe("per address", () => {
  it("refuses the fifth sign-in from one address in the window, on either process, and lets others in", async () => {
    const address = freshAddress();
    // Other emails each time: the account limit stays out of it.
    for (let i = 0; i < 4; i++)
      expect((await signIn(address, i % 2 ? serverB.url : serverA.url, `nobody-${uniqueId()}@example.test`, "wrong password")).status).toBe(401);
    expectTooMany(await signIn(address, serverA.url, `nobody-${uniqueId()}@example.test`, "wrong password"), ADDRESS_WINDOW_S);
    expectTooMany(await signIn(address, serverB.url, `nobody-${uniqueId()}@example.test`, "wrong password"), ADDRESS_WINDOW_S);
    expect((await signIn(freshAddress(), serverB.url, `nobody-${uniqueId()}@example.test`, "wrong password")).status).toBe(401);
  });

  it("limits sign-up the same way", async () => {
    const address = freshAddress();
    for (let i = 0; i < 4; i++) {
      expect(
        (await postFrom(address, serverA.url, "/api/auth/sign-up/email", { email: `new-${uniqueId()}@example.test`, name: "N", password: PASSWORD })).status,
      ).toBe(200);
    }
    expectTooMany(
      await postFrom(address, serverB.url, "/api/auth/sign-up/email", { email: `new-${uniqueId()}@example.test`, name: "N", password: PASSWORD }),
      ADDRESS_WINDOW_S,
    );
  });

  it("lifts when the window has passed", async () => {
    const address = freshAddress();
    for (let i = 0; i < 5; i++) await signIn(address, serverA.url, `nobody-${uniqueId()}@example.test`, "wrong password");
    expect((await signIn(address, serverA.url, `nobody-${uniqueId()}@example.test`, "wrong password")).status).toBe(429);
    await eventually(
      async () => expect((await signIn(address, serverA.url, `nobody-${uniqueId()}@example.test`, "wrong password")).status).toBe(401),
      (ADDRESS_WINDOW_S + 5) * 1000,
    );
  });

  it("counts the socket's address, not an X-Forwarded-For the client made up", async () => {
    const address = freshAddress();
    for (let i = 0; i < 4; i++) {
      const headers = { "x-forwarded-for": `10.0.0.${i}`, "x-tandem-client-ip": `10.1.0.${i}` };
      expect(
        (await postFrom(address, serverA.url, "/api/auth/sign-in/email", { email: `nobody-${uniqueId()}@example.test`, password: "wrong password" }, headers))
          .status,
      ).toBe(401);
    }
    expect((await signIn(address, serverA.url, `nobody-${uniqueId()}@example.test`, "wrong password")).status).toBe(429);
  });

  it("counts the client a trusted proxy names (TANDEM_TRUSTED_PROXIES), and each client alone", async () => {
    const proxy = freshAddress();
    const attempt = (client: string) =>
      postFrom(
        proxy,
        behindProxy.url,
        "/api/auth/sign-in/email",
        { email: `nobody-${uniqueId()}@example.test`, password: "wrong password" },
        { "x-forwarded-for": `203.0.113.7, ${client}` },
      );
    for (let i = 0; i < 4; i++) expect((await attempt("198.51.100.20")).status).toBe(401);
    expect((await attempt("198.51.100.20")).status).toBe(429);
    // Another client behind the same proxy has a count of its own.
    expect((await attempt("198.51.100.21")).status).toBe(401);
  });
});

describe("per account", () => {
  it("refuses a fourth attempt on one account from any address and either process, the right password included", async () => {
    const email = await createAccount();
    for (let i = 0; i < 3; i++) expect((await signIn(freshAddress(), i % 2 ? serverB.url : serverA.url, email, `wrong password ${i}`)).status).toBe(401);
    expectTooMany(await signIn(freshAddress(), serverA.url, email, PASSWORD), 600);
    expectTooMany(await signIn(freshAddress(), serverB.url, email.toUpperCase(), PASSWORD), 600);
    // Another account is not affected.
    expect((await signIn(freshAddress(), serverA.url, await createAccount(), PASSWORD)).status).toBe(200);
  });

  it("counts only failures: a successful sign-in starts the count again", async () => {
    const email = await createAccount();
    for (let i = 0; i < 2; i++) expect((await signIn(freshAddress(), serverA.url, email, "wrong password")).status).toBe(401);
    expect((await signIn(freshAddress(), serverB.url, email, PASSWORD)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await signIn(freshAddress(), serverA.url, email, "wrong password")).status).toBe(401);
    expect((await signIn(freshAddress(), serverB.url, email, "wrong password")).status).toBe(429);
  });

  it("holds under concurrent guesses: of 12 at once from 12 addresses, 3 reach the password check", async () => {
    const email = await createAccount();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => signIn(freshAddress(), i % 2 ? serverB.url : serverA.url, email, `guess ${i}`)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(9);
  });
});

describe("sign-up with an email that has an account", () => {
  it("answers exactly as a new sign-up does, opens no session, and changes nothing", async () => {
    const existing = await createAccount();
    const fresh = `fresh-${uniqueId()}@example.test`;
    const again = await postFrom(freshAddress(), serverA.url, "/api/auth/sign-up/email", {
      email: existing,
      name: "Someone Else",
      password: "another password 123",
    });
    const first = await postFrom(freshAddress(), serverA.url, "/api/auth/sign-up/email", {
      email: fresh,
      name: "Someone Else",
      password: "another password 123",
    });
    expect(again.status).toBe(first.status);
    expect(again.cookies).toEqual([]);
    expect(first.cookies).toEqual([]);
    const shape = (a: Answer) => ({
      keys: Object.keys(a.body).sort(),
      token: a.body.token,
      user: Object.keys(a.body.user as object).sort(),
      name: (a.body.user as { name: string }).name,
    });
    expect(shape(again)).toEqual(shape(first));
    expect((again.body.user as { email: string }).email).toBe(existing);
    // The account is untouched: its own password still works, the one just sent does not.
    expect((await signIn(freshAddress(), serverA.url, existing, "another password 123")).status).toBe(401);
    expect((await signIn(freshAddress(), serverA.url, existing, PASSWORD)).status).toBe(200);
  });
});
