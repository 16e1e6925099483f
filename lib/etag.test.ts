import { describe, expect, it } from "vitest";
import { formatEtag, MAX_VERSION, parseIfMatch, type IfMatchError } from "./etag";

const ID = "0190f1c2-7a3b-7cde-8f01-23456789abcd";
const OTHER = "0190f1c2-7a3b-7cde-8f01-23456789abce";

describe("formatEtag", () => {
  it("is a quoted strong tag holding the version", () => {
    expect(formatEtag(ID, 7)).toMatch(/^"7-[0-9a-f]{8}"$/);
  });

  it("differs between records, even UUIDv7s created in the same minute", () => {
    expect(formatEtag(ID, 1)).not.toBe(formatEtag(OTHER, 1));
  });

  it("does not depend on the id's case", () => {
    expect(formatEtag(ID.toUpperCase(), 3)).toBe(formatEtag(ID, 3));
  });

  it.each([-1, 1.5, NaN, 2 ** 53])("refuses version %s", (version) => {
    expect(() => formatEtag(ID, version)).toThrow(RangeError);
  });
});

describe("parseIfMatch", () => {
  it.each([0, 1, 42, MAX_VERSION])("round-trips version %s", (version) => {
    expect(parseIfMatch(formatEtag(ID, version), ID)).toEqual({ ok: true, version });
  });

  it.each([MAX_VERSION + 1, 2 ** 53 - 1])("refuses a token naming version %s, beyond PostgreSQL's integer", (version) => {
    const tag = formatEtag(ID, MAX_VERSION).replace(String(MAX_VERSION), String(version));
    expect(parseIfMatch(tag, ID)).toMatchObject({ ok: false, reason: "malformed" });
  });

  it("accepts surrounding whitespace", () => {
    expect(parseIfMatch(`  ${formatEtag(ID, 2)} `, ID)).toEqual({ ok: true, version: 2 });
  });

  const tag = formatEtag(ID, 3);
  const bad: [string, string | null, IfMatchError][] = [
    ["absent", null, "missing"],
    ["empty", "", "missing"],
    ["blank", "   ", "missing"],
    ["wildcard", "*", "wildcard"],
    ["weak", `W/${tag}`, "weak"],
    ["a list", `${tag}, ${formatEtag(ID, 4)}`, "malformed"],
    ["unquoted", tag.slice(1, -1), "malformed"],
    ["bare number", '"3"', "malformed"],
    ["garbage", "hello", "malformed"],
    ["leading zero", tag.replace('"3-', '"03-'), "malformed"],
    ["negative", tag.replace('"3-', '"-3-'), "malformed"],
    ["huge version", tag.replace('"3-', '"99999999999999999-'), "malformed"],
    ["another record's tag", formatEtag(OTHER, 3), "other-record"],
  ];
  it.each(bad)("refuses %s", (_name, header, reason) => {
    const result = parseIfMatch(header, ID);
    expect(result).toMatchObject({ ok: false, reason });
    expect(!result.ok && result.message.length).toBeGreaterThan(10);
  });

  it("treats a comma inside the quotes as garbage, not as a list", () => {
    expect(parseIfMatch('"3,4"', ID)).toMatchObject({ ok: false, reason: "malformed" });
  });
});
