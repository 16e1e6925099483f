import { describe, expect, it } from "vitest";
import { cleanNumber, currencySymbol, formatNumber, formatNumberForInput, parseNumber } from "./number-format";

describe("N1 cleanNumber", () => {
  it.each([
    [153.29999999999998, 153.3],
    [0.1 + 0.2, 0.3],
    [12000, 12000],
    [-0.5, -0.5],
  ])("%d → %d", (value, expected) => {
    expect(cleanNumber(value)).toBe(expected);
  });
});

describe("N2 formatNumber", () => {
  it.each([
    ["float noise", 153.29999999999998, undefined, "en-US", "153.3"],
    ["thousands by default", 12000, undefined, "en-US", "12,000"],
    ["no thousands", 12000, { thousands: false }, "en-US", "12000"],
    ["fixed decimals pad", 11.5, { decimals: 2 }, "en-US", "11.50"],
    ["fixed decimals round", 2.345, { decimals: 1 }, "en-US", "2.3"],
    ["currency, its minor digits", 30, { currency: "USD" }, "en-US", "$30.00"],
    ["currency keeps digits it has", 12.345, { currency: "USD" }, "en-US", "$12.345"],
    ["currency without decimals", 12000, { currency: "USD", decimals: 0 }, "en-US", "$12,000"],
    ["German separators", 1234.5, { decimals: 2 }, "de-DE", "1.234,50"],
    ["euro in German", 1234.5, { currency: "EUR" }, "de-DE", "1.234,50 €"],
  ] as const)("%s", (_title, value, format, locale, expected) => {
    expect(formatNumber(value, format, locale).replace(/\u00a0/g, " ")).toBe(expected);
  });
});

describe("N3 formatNumberForInput", () => {
  it.each([
    [12000, undefined, "en-US", "12000"],
    [30, { decimals: 2 }, "en-US", "30.00"],
    [12.345, { decimals: 2 }, "en-US", "12.345"],
    [12.5, undefined, "de-DE", "12,5"],
    [0.1 + 0.2, undefined, "en-US", "0.3"],
  ] as const)("%d → %s", (value, format, locale, expected) => {
    expect(formatNumberForInput(value, format, locale)).toBe(expected);
  });
});

describe("N4 parseNumber", () => {
  const accepted: [string, string, number | null][] = [
    ["en-US", "12.50", 12.5],
    ["en-US", "1,250", 1250],
    ["en-US", "1,234,567.5", 1234567.5],
    ["en-US", "-3", -3],
    ["en-US", "−3", -3],
    ["en-US", ".5", 0.5],
    ["en-US", "12.", 12],
    ["en-US", "  7 ", 7],
    ["en-US", "", null],
    ["de-DE", "12,50", 12.5],
    ["de-DE", "1.250", 1250],
    ["de-DE", "1.250,75", 1250.75],
    ["fr-FR", "1 250,5", 1250.5],
    ["fr-FR", "1\u202f250,5", 1250.5],
  ];
  it.each(accepted)("%s reads %j as %d", (locale, text, expected) => {
    expect(parseNumber(text, locale)).toMatchObject({ ok: true, value: expected });
  });

  const refused: [string, string, string][] = [
    // The bug this prevents: "12,50" became 1250.
    ["en-US", "12,50", "“,” separates thousands here; use “.” for decimals (as in 12.5)"],
    ["de-DE", "12.50", "“.” separates thousands here; use “,” for decimals (as in 12,5)"],
    ["en-US", "1,25,000", "Thousands separators (“,”) go between groups of three digits"],
    ["en-US", "1.2.3", "Use “.” only once"],
    ["en-US", "12abc", "Not a number"],
    ["en-US", "1e5", "Not a number"],
    ["en-US", "-", "Not a number"],
    ["en-US", "twelve", "Not a number"],
  ];
  it.each(refused)("%s refuses %j", (locale, text, message) => {
    const result = parseNumber(text, locale);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.message).toContain(message);
  });

  it("accepts the field's currency symbol or code around the number", () => {
    expect(parseNumber("$1,250.50", "en-US", "USD")).toMatchObject({ ok: true, value: 1250.5 });
    expect(parseNumber("1.250,50 €", "de-DE", "EUR")).toMatchObject({ ok: true, value: 1250.5 });
    expect(parseNumber("USD 3", "en-US", "USD")).toMatchObject({ ok: true, value: 3 });
    expect(parseNumber("€3", "en-US", "USD").ok).toBe(false);
  });

  it("says when thousands separators were read, so the user can check", () => {
    expect(parseNumber("1,250", "en-US")).toEqual({ ok: true, value: 1250, isGrouped: true });
    expect(parseNumber("1250", "en-US")).toEqual({ ok: true, value: 1250, isGrouped: false });
  });
});

describe("N5 currencySymbol", () => {
  it("is the locale's symbol, or null without a currency", () => {
    expect(currencySymbol("USD", "en-US")).toBe("$");
    expect(currencySymbol("EUR", "de-DE")).toBe("€");
    expect(currencySymbol(undefined)).toBeNull();
  });
});
