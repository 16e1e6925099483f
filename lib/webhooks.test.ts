import { describe, expect, it } from "vitest";
import {
  addressRefusal,
  checkEndpointUrl,
  EndpointInput,
  eventTypeOf,
  isDelivered,
  RETRY,
  retryDelayMs,
  retryHorizonMs,
  signatureHeader,
  signedContent,
  webhookBody,
} from "./webhooks";

describe("D1 event types", () => {
  it("names each revision kind; merges and checkpoints are saves", () => {
    expect(["create", "save", "merge", "restore", "delete", "undelete"].map(eventTypeOf)).toEqual([
      "record.created",
      "record.saved",
      "record.saved",
      "record.restored",
      "record.deleted",
      "record.undeleted",
    ]);
  });
});

describe("D2 endpoint URLs", () => {
  const ok = (url: string, allowPrivate = false) => checkEndpointUrl(url, allowPrivate).ok;
  const message = (url: string) => {
    const result = checkEndpointUrl(url, false);
    return result.ok ? null : result.message;
  };

  it("takes absolute http(s) URLs with paths and queries", () => {
    expect(ok("https://hooks.example.com/tandem?team=7")).toBe(true);
    expect(ok("http://8.8.4.4:8080/in")).toBe(true);
  });

  it("refuses what is not an http(s) URL, credentials, fragments and very long URLs", () => {
    expect(message("hooks.example.com/in")).toMatch(/Not a URL/);
    expect(message("ftp://example.com/x")).toMatch(/Only http and https/);
    expect(message("javascript:alert(1)")).toMatch(/Only http and https/);
    expect(message("https://user:pw@example.com/")).toMatch(/user name and password/);
    expect(message("https://example.com/#x")).toMatch(/fragment/);
    expect(message(`https://example.com/${"a".repeat(2100)}`)).toMatch(/longer than 2048/);
  });

  it("refuses this machine and private literals unless private addresses are allowed", () => {
    for (const url of [
      "http://localhost:3000/",
      "http://api.localhost/",
      "http://localhost./x",
      "http://API.LOCALHOST../",
      "http://127.0.0.1/",
      "http://[::1]/",
      "http://10.1.2.3/",
      "http://192.168.0.5/",
      "http://169.254.169.254/latest",
      "http://[fd00::1]/",
      "http://[::ffff:10.0.0.1]/",
      "http://0.0.0.0/",
    ]) {
      expect(ok(url), url).toBe(false);
      expect(ok(url, true), url).toBe(true);
    }
  });
});

describe("D3 addresses a delivery may reach", () => {
  it("public unicast addresses only", () => {
    expect(addressRefusal("8.8.4.4")).toBeNull();
    expect(addressRefusal("2001:4860:4860::8888")).toBeNull();
    expect(addressRefusal("127.0.0.1")).toMatch(/loopback/);
    expect(addressRefusal("172.16.4.4")).toMatch(/private/);
    expect(addressRefusal("169.254.169.254")).toMatch(/link-local/);
    expect(addressRefusal("100.64.0.1")).toMatch(/carrier-grade NAT/);
    expect(addressRefusal("fe80::1")).toMatch(/link-local/);
    expect(addressRefusal("fc00::5")).toMatch(/unique local/);
    expect(addressRefusal("224.0.0.1")).toMatch(/multicast/);
    expect(addressRefusal("::ffff:127.0.0.1")).toMatch(/loopback/);
    expect(addressRefusal("not-an-ip")).toMatch(/not an IP address/);
  });
});

describe("endpoint input", () => {
  it("needs a URL and at least one known event, and nothing else", () => {
    expect(EndpointInput.safeParse({ url: "https://x.example/", events: ["record.saved"] }).success).toBe(true);
    expect(EndpointInput.safeParse({ url: "https://x.example/", events: [] }).success).toBe(false);
    expect(EndpointInput.safeParse({ url: "https://x.example/", events: ["record.exploded"] }).success).toBe(false);
    expect(EndpointInput.safeParse({ url: "https://x.example/", events: ["record.saved"], secret: "mine" }).success).toBe(false);
  });
});

describe("D4 retries", () => {
  it("the first retry comes within seconds, the waits grow by four up to the cap, ten attempts in all", () => {
    expect(retryDelayMs(1, () => 0.999)).toBeLessThan(10_000);
    expect(retryDelayMs(2, () => 0.999)).toBeGreaterThan(39_000);
    expect(retryDelayMs(9, () => 0.999)).toBeLessThanOrEqual(RETRY.capMs);
    expect(retryDelayMs(9, () => 0.999)).toBeGreaterThan(RETRY.capMs - 100_000);
    expect(retryDelayMs(RETRY.maxAttempts, () => 0.5)).toBeNull();
  });

  it("is full jitter: anywhere from 0 to the window", () => {
    expect(retryDelayMs(5, () => 0)).toBe(0);
    const samples = Array.from({ length: 200 }, () => retryDelayMs(3)!);
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThanOrEqual(160_000);
    expect(new Set(samples).size).toBeGreaterThan(150);
  });

  it("spans about a day on average", () => {
    const expectedHours = retryHorizonMs() / 2 / 3_600_000;
    expect(expectedHours).toBeGreaterThan(18);
    expect(expectedHours).toBeLessThan(30);
  });
});

describe("D5–D7 delivery and signature", () => {
  it("only a 2xx delivers; redirects do not", () => {
    expect([200, 204, 299].every(isDelivered)).toBe(true);
    expect([199, 301, 302, 400, 410, 500].some(isDelivered)).toBe(false);
  });

  it("signs the timestamp and the exact body, one v1 per valid secret", () => {
    expect(signedContent(1764590000, '{"a":1}')).toBe('1764590000.{"a":1}');
    expect(signatureHeader(["ab", "cd"])).toBe("v1=ab,v1=cd");
  });
});

describe("D9 the body", () => {
  it("says which version of which record changed, by whom, and each field from → to", () => {
    const body = webhookBody({
      eventId: "e1",
      kind: "merge",
      createdAt: "2026-12-01T10:00:00.000Z",
      workspaceId: "w",
      collectionId: "c",
      recordId: "r",
      version: 7,
      author: { id: "u", name: "Dana" },
      changes: { stock: { from: 5, to: 3, add: -2 }, note: { from: null, to: "hi" } },
    });
    expect(body).toEqual({
      id: "e1",
      type: "record.saved",
      createdAt: "2026-12-01T10:00:00.000Z",
      workspaceId: "w",
      collectionId: "c",
      record: { id: "r", version: 7 },
      author: { id: "u", name: "Dana" },
      changes: { stock: { from: 5, to: 3, add: -2 }, note: { from: null, to: "hi" } },
    });
  });
});
