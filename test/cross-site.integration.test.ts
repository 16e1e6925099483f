// A page of another origin must not act with the user's cookie: state-changing requests are only
// honoured from Tandem's own origin (or from scripts, which name none), bodies must say JSON, and
// the socket handshake checks its origin too. (e2e/cross-site.spec.ts runs the attack in Chromium.)
import { beforeAll, describe, expect, it } from "vitest";
import type { RecordDto } from "@/lib/types";
import { ApiClient } from "./client";
import { useTestPool } from "./db";
import { createRecord, createWorkspace, type WorkspaceFixture } from "./factories";
import { useTestServer } from "./server";
import { connected, connectSocket } from "./socket-client";
import { io } from "socket.io-client";

const server = useTestServer();
const pool = useTestPool();
let ws: WorkspaceFixture;
let record: RecordDto;
let etag: string;

type ErrorBody = { error: string; message: string };

beforeAll(async () => {
  ws = await createWorkspace(server.url, pool);
  ({ record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Target", stock: 1 }));
});

const own = () => new URL(server.url).origin;
/** The same host on another port: same site, so a browser sends the SameSite=Lax cookie along. */
const otherPort = () => {
  const url = new URL(server.url);
  return `${url.protocol}//${url.hostname}:${Number(url.port) === 65535 ? 1 : Number(url.port) + 1}`;
};

async function recordCount(): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM records WHERE "collectionId" = $1`, [ws.collectionId]);
  return Number(rows[0]!.n);
}

async function expectUntouched() {
  const { rows } = await pool.query<{ version: number }>(`SELECT version FROM records WHERE id = $1`, [record.id]);
  expect(rows[0]!.version).toBe(1);
}

describe("state-changing requests from another origin", () => {
  const create = (headers: Record<string, string>) =>
    ws.members.owner.client.request<ErrorBody>("POST", `/api/collections/${ws.collectionId}/records`, { json: { values: { name: "Forged" } }, headers });

  it.each([
    ["another port of the same host", () => ({ origin: otherPort() })],
    ["another host", () => ({ origin: "http://evil.test" })],
    ["an opaque origin (sandboxed frame, data: URL)", () => ({ origin: "null" })],
    ["no Origin, but Sec-Fetch-Site: same-site", () => ({ "sec-fetch-site": "same-site" })],
    ["no Origin, but Sec-Fetch-Site: cross-site", () => ({ "sec-fetch-site": "cross-site" })],
  ])("are refused with a 403 and write nothing: %s", async (_name, headers) => {
    const before = await recordCount();
    const res = await create(headers());
    expect(res.status).toBe(403);
    expect(res.body.error).toBe("forbidden");
    expect(res.body.message).toMatch(/cross-site/i);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await recordCount()).toBe(before);
  });

  it("PATCH, DELETE, restore and undelete are refused the same way", async () => {
    const client = ws.members.owner.client;
    const headers = { origin: otherPort(), "if-match": etag };
    expect((await client.request("PATCH", `/api/records/${record.id}`, { json: { values: { stock: 9 } }, headers })).status).toBe(403);
    expect((await client.request("DELETE", `/api/records/${record.id}`, { headers })).status).toBe(403);
    expect((await client.request("POST", `/api/records/${record.id}/restore`, { json: { version: 1 }, headers })).status).toBe(403);
    expect((await client.request("POST", `/api/records/${record.id}/undelete`, { headers })).status).toBe(403);
    await expectUntouched();
  });

  it("are honoured from the app's own origin, and from scripts that name no origin", async () => {
    const before = await recordCount();
    expect((await create({ origin: own(), "sec-fetch-site": "same-origin" })).status).toBe(201);
    expect((await create({ "sec-fetch-site": "same-origin" })).status).toBe(201);
    expect((await create({})).status).toBe(201);
    expect(await recordCount()).toBe(before + 3);
  });

  it("reads stay open to any origin (the API sends no CORS headers, so a foreign page cannot read them)", async () => {
    const res = await ws.members.owner.client.get(`/api/records/${record.id}`, { origin: otherPort() });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("better-auth's routes are covered: no sign-in, sign-up or sign-out from another origin", async () => {
    const visitor = new ApiClient(server.url);
    const signIn = await visitor.request<ErrorBody>("POST", "/api/auth/sign-in/email", {
      json: { email: ws.members.editor.email, password: "correct horse battery" },
      headers: { origin: otherPort() },
    });
    expect(signIn.status).toBe(403);
    expect(signIn.headers.getSetCookie()).toEqual([]);
    const email = `forged-${Date.now()}@example.test`;
    const signUp = await visitor.request("POST", "/api/auth/sign-up/email", {
      json: { email, name: "Forged", password: "correct horse battery" },
      headers: { origin: "null" },
    });
    expect(signUp.status).toBe(403);
    expect((await pool.query(`SELECT 1 FROM users WHERE email = $1`, [email])).rowCount).toBe(0);
    const editor = ws.members.editor.client;
    expect((await editor.request("POST", "/api/auth/sign-out", { json: {}, headers: { origin: otherPort() } })).status).toBe(403);
    expect((await editor.get("/api/me")).status).toBe(200);
  });
});

describe("JSON bodies", () => {
  /** fetch, because ApiClient always names a JSON content type; bytes, because fetch names text/plain for a string. */
  const post = (headers: Record<string, string>, body: string) =>
    fetch(new URL(`/api/collections/${ws.collectionId}/records`, server.url), {
      method: "POST",
      headers: { cookie: ws.members.owner.client.cookieHeader, ...headers },
      body: new TextEncoder().encode(body),
    });

  it.each([
    ["no content type (a beacon of a Blob, a fetch of an ArrayBuffer)", {}],
    ["text/plain", { "content-type": "text/plain;charset=UTF-8" }],
    ["a form", { "content-type": "application/x-www-form-urlencoded" }],
    ["multipart", { "content-type": "multipart/form-data; boundary=x" }],
    ["a look-alike", { "content-type": "application/jsonp" }],
  ])("are refused with a 415 without a JSON content type: %s", async (_name, headers: Record<string, string>) => {
    const before = await recordCount();
    const res = await post(headers, JSON.stringify({ values: { name: "No type" } }));
    expect(res.status).toBe(415);
    expect(((await res.json()) as ErrorBody).error).toBe("unsupported_media_type");
    expect(await recordCount()).toBe(before);
  });

  it.each(["application/json", "application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json"])("are read with %s", async (type) => {
    const res = await post({ "content-type": type }, JSON.stringify({ values: { name: "Typed" } }));
    expect(res.status).toBe(201);
  });
});

describe("the socket handshake", () => {
  const attempt = (origin: string | undefined) => {
    const socket = io(server.url, {
      transports: ["websocket"],
      extraHeaders: { cookie: ws.members.owner.client.cookieHeader, ...(origin ? { origin } : {}) },
      reconnection: false,
      forceNew: true,
    });
    return new Promise<"connected" | "refused">((resolve) => {
      socket.once("connect", () => resolve("connected"));
      socket.once("connect_error", () => resolve("refused"));
    }).finally(() => socket.disconnect());
  };

  it("is refused from another origin, with the victim's cookie", async () => {
    expect(await attempt(otherPort())).toBe("refused");
    expect(await attempt("http://evil.test")).toBe("refused");
    expect(await attempt("null")).toBe("refused");
  });

  it("is refused over HTTP long-polling too", async () => {
    const res = await fetch(new URL("/socket.io/?EIO=4&transport=polling", server.url), {
      headers: { origin: otherPort(), cookie: ws.members.owner.client.cookieHeader },
    });
    expect(res.status).toBe(403);
  });

  it("is accepted from the app's own pages and from clients that send no origin", async () => {
    expect(await attempt(own())).toBe("connected");
    const socket = connectSocket(server.url, ws.members.owner.client);
    await connected(socket);
  });
});
