import { describe, expect, it } from "vitest";
import { isAllowedContext, isAllowedSource, isOwnOrigin, isValidHost } from "./origin";

const HOST = "127.0.0.1:3000";

describe("isValidHost", () => {
  it.each(["127.0.0.1:3000", "localhost", "tandem.example.com", "[::1]:3000", "a_b.internal:8080", undefined])("accepts %j", (host) => {
    expect(isValidHost(host)).toBe(true);
  });

  it.each(["[", "a b", "a/b", "a@b", "a:b", "a:99999", "", "a?b", "a#b", "[::1", "é.test", "a\\b"])("refuses %j", (host) => {
    expect(isValidHost(host)).toBe(false);
  });
});

describe("isOwnOrigin", () => {
  it("is the host the request was sent to, on either scheme", () => {
    expect(isOwnOrigin("http://127.0.0.1:3000", HOST, undefined)).toBe(true);
    expect(isOwnOrigin("https://tandem.example.com", "tandem.example.com:443", undefined)).toBe(true);
  });

  it.each([
    "http://127.0.0.1:3001",
    "http://127.0.0.2:3000",
    "http://localhost:3000",
    "null",
    "",
    "file://",
    "http://127.0.0.1:3000/x",
    "chrome-extension://abc",
  ])("another port, host or scheme is another origin: %j", (origin) => {
    expect(isOwnOrigin(origin, HOST, undefined)).toBe(false);
  });

  it("is BETTER_AUTH_URL's origin when set, whatever the Host says", () => {
    expect(isOwnOrigin("https://tandem.example.com", "internal:3000", "https://tandem.example.com/")).toBe(true);
    expect(isOwnOrigin("http://tandem.example.com", "tandem.example.com", "https://tandem.example.com")).toBe(false);
    expect(isOwnOrigin("http://127.0.0.1:3000", HOST, "https://tandem.example.com")).toBe(false);
  });

  it("is nothing without a valid Host", () => {
    expect(isOwnOrigin("http://127.0.0.1:3000", undefined, undefined)).toBe(false);
    expect(isOwnOrigin("http://[", "[", undefined)).toBe(false);
  });
});

describe("isAllowedSource", () => {
  const source = (method: string, origin?: string, secFetchSite?: string) => ({ method, origin, secFetchSite, host: HOST });

  it("lets every read through", () => {
    for (const method of ["GET", "HEAD", "OPTIONS"]) expect(isAllowedSource(source(method, "http://evil.test", "cross-site"), undefined)).toBe(true);
  });

  it.each(["POST", "PUT", "PATCH", "DELETE", "post"])("refuses a %s from another origin, and from an opaque one", (method) => {
    expect(isAllowedSource(source(method, "http://127.0.0.1:4000"), undefined)).toBe(false);
    expect(isAllowedSource(source(method, "null"), undefined)).toBe(false);
    expect(isAllowedSource(source(method, "http://127.0.0.1:3000"), undefined)).toBe(true);
  });

  it("falls back on Sec-Fetch-Site without an Origin", () => {
    expect(isAllowedSource(source("POST", undefined, "same-site"), undefined)).toBe(false);
    expect(isAllowedSource(source("POST", undefined, "cross-site"), undefined)).toBe(false);
    expect(isAllowedSource(source("POST", undefined, "same-origin"), undefined)).toBe(true);
    expect(isAllowedSource(source("POST", undefined, "none"), undefined)).toBe(true);
  });

  it("trusts Origin over Sec-Fetch-Site when both are sent", () => {
    expect(isAllowedSource(source("POST", "http://127.0.0.1:4000", "same-origin"), undefined)).toBe(false);
  });

  it("lets a script that names no browser context through", () => {
    expect(isAllowedSource(source("POST"), undefined)).toBe(true);
  });
});

describe("isAllowedContext", () => {
  it("applies the origin rule to any method (the socket handshake is a GET)", () => {
    expect(isAllowedContext({ origin: "http://127.0.0.1:4000", secFetchSite: undefined, host: HOST }, undefined)).toBe(false);
    expect(isAllowedContext({ origin: "http://127.0.0.1:3000", secFetchSite: undefined, host: HOST }, undefined)).toBe(true);
    expect(isAllowedContext({ origin: undefined, secFetchSite: undefined, host: HOST }, undefined)).toBe(true);
  });
});
