import { describe, expect, it } from "vitest";
import { normalizeLinkUrl } from "./link-url";

describe("normalizeLinkUrl", () => {
  it.each([
    ["https://example.com/a?b=1", "https://example.com/a?b=1"],
    ["http://intranet.acme.test", "http://intranet.acme.test"],
    ["example.com/docs", "https://example.com/docs"],
    ["  tandem.test  ", "https://tandem.test"],
    ["dana@tandem.test", "mailto:dana@tandem.test"],
    ["mailto:dana@tandem.test", "mailto:dana@tandem.test"],
  ])("%s → %s", (text, expected) => {
    expect(normalizeLinkUrl(text)).toBe(expected);
  });

  it.each(["javascript:alert(1)", "data:text/html,x", "ftp://x.test", "not a link", "", "hello"])("refuses %j", (text) => {
    expect(normalizeLinkUrl(text)).toBeNull();
  });
});
