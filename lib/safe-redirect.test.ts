import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./safe-redirect";

const APP = "http://app.test";

/** Where a browser on APP would land after `location.replace(path)`. */
const landing = (path: string) => new URL(path, `${APP}/sign-in`);

describe("safeRedirectPath", () => {
  it.each([
    ["/", "/"],
    ["/records/0190f1c2", "/records/0190f1c2"],
    ["/collections/1?q=desk&sort=price#top", "/collections/1?q=desk&sort=price#top"],
    ["/records/1?next=//evil.test", "/records/1?next=//evil.test"],
    ["records/1", "/records/1"],
    ["/a/../b", "/b"],
    ["/%5C%5Chost", "/%5C%5Chost"],
    // scheme-relative: the normalized path is followed, never the input
    ["http:evil.test", "/evil.test"],
  ])("G1 follows the same-site path %j as %j", (next, expected) => {
    expect(safeRedirectPath(next)).toBe(expected);
  });

  it.each([
    // the three, as URLSearchParams.get decodes them from ?next=/\host, /%09/host, /%5C%5Chost
    "/\\host",
    "/\t/host",
    "/\\\\host",
    "//evil.test",
    "///evil.test",
    "\\\\evil.test",
    "\\/evil.test",
    "/\n/evil.test",
    "/\r\n/evil.test",
    " //evil.test",
    "\u0000//evil.test",
    "https://evil.test/",
    "HTTP://evil.test",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "mailto:someone@evil.test",
    "/.//evil.test",
    "/./\\evil.test",
    "http://tandem.invalid@evil.test/",
  ])("G2 refuses %j, which leaves the site", (next) => {
    expect(landing(safeRedirectPath(next)).origin).toBe(APP);
    expect(safeRedirectPath(next)).toBe("/");
  });

  it.each([null, undefined, "", 42, ["/records/1"]])("G3 goes home for %j", (next) => {
    expect(safeRedirectPath(next)).toBe("/");
  });

  it("G1–G2 never leave the site, whatever the input", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom("/", "\\", "\t", "\n", ".", "%", "5", "C", ":", "@", "h", " ") })), (next) => {
        const path = safeRedirectPath(next);
        expect(path.startsWith("/")).toBe(true);
        expect(path.startsWith("//") || path.startsWith("/\\")).toBe(false);
        expect(landing(path).origin).toBe(APP);
      }),
      { numRuns: 2000 },
    );
  });
});
