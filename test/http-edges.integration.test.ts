// Requests at the edges of HTTP get a clear JSON answer, quickly: a malformed Host, an unknown
// /api path, an opaque Origin on better-auth's routes. A client that hangs up is a routine line
// in the log. Every answer carries the security headers; /api/health tells strangers only up/down.
import http from "node:http";
import net from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "./client";
import { useTestPool } from "./db";
import { createWorkspace, type WorkspaceFixture } from "./factories";
import { useTestServer } from "./server";
import { eventually } from "./socket-client";

const METRICS_TOKEN = "metrics-token-for-tests-0123456789";
const server = useTestServer({ TANDEM_METRICS_TOKEN: METRICS_TOKEN });
const pool = useTestPool();
let ws: WorkspaceFixture;

beforeAll(async () => {
  ws = await createWorkspace(server.url, pool);
});

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** A request with headers fetch will not send (Host), failing if no answer comes within 5 s. */
function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Raw> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers, setHost: false, timeout: 5000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer to ${method} ${path} within 5 s`)));
    req.on("error", reject);
    req.end(body);
  });
}

const json = (text: string) => JSON.parse(text) as { error: string; message: string };

describe("a malformed Host header", () => {
  it.each(["[", "a b", "a/b", "evil.test@127.0.0.1", "a:99999", "[::1"])("is a 400 in JSON for the API, better-auth and pages: %j", async (host) => {
    for (const [method, path, body] of [
      ["GET", "/api/health"],
      ["GET", "/api/collections"],
      ["POST", "/api/auth/sign-in/email", `{"email":"${ws.members.owner.email}","password":"x"}`],
      ["GET", "/sign-in"],
      ["GET", "/"],
    ] as const) {
      const res = await raw(method, path, { host, "content-type": "application/json" }, body);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(json(res.body).error).toBe("bad_request");
      expect(json(res.body).message).toMatch(/host/i);
    }
  });
});

describe("unknown /api paths", () => {
  it.each([
    ["GET", "/api/nope"],
    ["GET", "/api/records"],
    ["POST", "/api/records"],
    ["GET", "/api/records/x/y/z"],
    ["PUT", "/api/nope"],
    ["GET", "/api/auth/no-such-endpoint"],
  ])("answer %s %s with a JSON 404, not Next's page", async (method, path) => {
    const res = await ws.members.owner.client.request<{ error: string; message: string }>(method, path);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.body.error).toBe("not_found");
  });
});

describe("Origin: null on better-auth's routes", () => {
  it.each([
    ["POST", "/api/auth/sign-in/email", { email: "nobody@example.test", password: "whatever-password" }],
    ["POST", "/api/auth/sign-up/email", { email: "nobody@example.test", password: "whatever-password", name: "N" }],
    ["POST", "/api/auth/sign-out", {}],
    ["GET", "/api/auth/get-session", undefined],
  ])("%s %s answers in JSON, never an empty 500", async (method, path, body) => {
    const res = await ws.members.viewer.client.request<{ error?: string; message?: string } | null>(method, path, {
      ...(body ? { json: body } : {}),
      headers: { origin: "null" },
    });
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("content-type")).toContain("application/json");
    if (method === "POST") expect(res.status).toBe(403);
  });
});

describe("a client that hangs up", () => {
  /**
   * Sends the head, waits until the server has taken the request up (its 100 Continue), sends part
   * of the body, then resets the connection (ECONNRESET on the server).
   */
  async function abortMidBody(path: string, cookie: string) {
    const url = new URL(server.url);
    const socket = net.connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    const taken = new Promise<string>((resolve) => socket.once("data", (chunk) => resolve(String(chunk))));
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\ncookie: ${cookie}\r\ncontent-type: application/json\r\nexpect: 100-continue\r\ncontent-length: 100000\r\n\r\n`,
    );
    expect(await taken).toMatch(/^HTTP\/1.1 100/);
    await new Promise((r) => socket.write(`{"values":{"name":"`, r));
    socket.resetAndDestroy();
  }

  it("is logged as routine, without an error or a stack", async () => {
    const path = `/api/collections/${ws.collectionId}/records`;
    await abortMidBody(path, ws.members.owner.client.cookieHeader);
    await abortMidBody("/api/auth/sign-in/email", "");
    await eventually(() => {
      expect(server.output()).toContain(`client closed the connection: POST ${path}`);
      expect(server.output()).toContain(`client closed the connection: POST /api/auth/sign-in/email`);
    });
    // The server goes on answering, and logged nothing alarming about the two.
    expect((await ws.members.owner.client.get("/api/me")).status).toBe(200);
    expect(server.output()).not.toMatch(/unexpected error|api route failed|auth route failed|SERVER_ERROR|ECONNRESET|at .*\(.*:\d+:\d+\)/);
  });
});

describe("security headers", () => {
  const expectCommon = (headers: Headers) => {
    expect(headers.get("x-content-type-options")).toBe("nosniff");
    expect(headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(headers.get("x-frame-options")).toBe("DENY");
    expect(headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  };

  it("are on every API answer: success, refusal, error and better-auth's", async () => {
    const owner = ws.members.owner.client;
    for (const res of [
      await owner.get("/api/me"),
      await new ApiClient(server.url).get("/api/collections"),
      await owner.get("/api/nope"),
      await owner.request("POST", `/api/collections/${ws.collectionId}/records`, { json: { values: { name: "x" } }, headers: { origin: "http://evil.test" } }),
      await owner.get("/api/auth/get-session"),
      await new ApiClient(server.url).request("POST", "/api/auth/sign-in/email", { json: { email: "nobody@example.test", password: "wrong-password" } }),
    ]) {
      expectCommon(res.headers);
      expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    }
  });

  it("are on every page, with a fresh nonce that Next puts on its scripts", async () => {
    const first = await fetch(new URL("/sign-in", server.url));
    const second = await fetch(new URL("/sign-in", server.url));
    expectCommon(first.headers);
    const nonceOf = (policy: string | null) => /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy ?? "")?.[1];
    const nonce = nonceOf(first.headers.get("content-security-policy"));
    expect(nonce).toBeTruthy();
    expect(nonceOf(second.headers.get("content-security-policy"))).not.toBe(nonce);
    const html = await first.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(first.headers.get("content-security-policy")).toMatch(/script-src [^;]*'strict-dynamic'/);
    expect(first.headers.get("content-security-policy")).not.toContain("unsafe-inline");
    const notFound = await fetch(new URL("/no-such-page", server.url));
    expect(notFound.status).toBe(404);
    expectCommon(notFound.headers);
  });
});

describe("/api/health", () => {
  it("tells anyone only whether Tandem is up", async () => {
    const res = await new ApiClient(server.url).get("/api/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
  });

  it("shows the database's latency and migrations to a signed-in user and to the metrics token", async () => {
    const signedIn = await ws.members.viewer.client.get<{ database: { latencyMs: number; migrations: number } }>("/api/health");
    expect(signedIn.body.database.migrations).toBeGreaterThan(0);
    expect(typeof signedIn.body.database.latencyMs).toBe("number");
    const withToken = await new ApiClient(server.url).get<{ database?: object }>("/api/health", { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(withToken.body.database).toBeTruthy();
    const wrongToken = await new ApiClient(server.url).get("/api/health", { authorization: `Bearer ${METRICS_TOKEN}x` });
    expect(wrongToken.body).toEqual({ status: "ok" });
  });
});
