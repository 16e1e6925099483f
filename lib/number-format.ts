// Numbers as people read and type them (SPEC N1–N5): the display format a field defines
// (decimals, thousands separators, currency), and parsing typed text by the user's locale, where
// anything ambiguous is refused with a message instead of being read some other way.
import type { NumberFormat } from "./types";

/** N1: binary floating-point noise (0.1 + 0.2, 153.29999999999998) is not what anyone typed. */
export function cleanNumber(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(15)) : value;
}

/** ISO 4217 codes the runtime knows; a runtime without the list accepts any three capitals. */
export function isKnownCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  return supported ? supported("currency").includes(code) : true;
}

/**
 * N2: a stored number for display. `decimals` fixes the digits shown (rounding); without it a
 * number shows the digits it has (after N1), and a currency at least its usual minor digits.
 * Thousands separators unless `thousands: false`.
 */
export function formatNumber(value: number, format: NumberFormat | undefined, locale?: string): string {
  const clean = cleanNumber(value);
  const useGrouping = format?.thousands ?? true;
  if (format?.currency) {
    const base = new Intl.NumberFormat(locale, { style: "currency", currency: format.currency });
    const minor = base.resolvedOptions().minimumFractionDigits ?? 2;
    const digits = format.decimals ?? null;
    return new Intl.NumberFormat(locale, {
      style: "currency",
      currency: format.currency,
      useGrouping,
      minimumFractionDigits: digits ?? minor,
      maximumFractionDigits: digits ?? Math.max(minor, 15),
    }).format(clean);
  }
  const digits = format?.decimals;
  return new Intl.NumberFormat(locale, {
    useGrouping,
    minimumFractionDigits: digits ?? 0,
    maximumFractionDigits: digits ?? 15,
  }).format(clean);
}

/**
 * N3: the text an input shows for a stored number: no thousands separators (they get in the way
 * of editing), the locale's decimal mark, the field's decimals as a minimum only, so an input
 * never hides a digit the record holds.
 */
export function formatNumberForInput(value: number, format: NumberFormat | undefined, locale?: string): string {
  return new Intl.NumberFormat(locale, {
    useGrouping: false,
    minimumFractionDigits: format?.decimals ?? 0,
    maximumFractionDigits: 15,
  }).format(cleanNumber(value));
}

export type Separators = { group: string; decimal: string };

export function separatorsOf(locale?: string): Separators {
  const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
  return { group: parts.find((p) => p.type === "group")?.value ?? ",", decimal: parts.find((p) => p.type === "decimal")?.value ?? "." };
}

export type ParsedNumber = { ok: true; value: number | null; isGrouped: boolean } | { ok: false; message: string };

const SPACES = /[\s\u00a0\u202f]/g;
const isSpaceLike = (s: string) => /^[\s\u00a0\u202f]$/.test(s);
const shown = (s: string) => (isSpaceLike(s) ? "a space" : `“${s}”`);

/**
 * N4: typed text → a number by the locale's separators, or a message. Accepted: an optional sign,
 * digits, thousands separators only in groups of three, one decimal mark, and the field's currency
 * symbol or code around it. "12,50" in English is refused (a comma groups thousands there), never
 * read as 1250; "12.50" in German likewise. Empty text is null (a cleared field).
 */
export function parseNumber(text: string, locale?: string, currency?: string): ParsedNumber {
  const { group, decimal } = separatorsOf(locale);
  let s = stripCurrency(text.trim(), locale, currency).replace(/^[−–]/, "-");
  if (s === "") return { ok: true, value: null, isGrouped: false };
  const sign = s[0] === "-" || s[0] === "+" ? s[0] : "";
  s = s.slice(sign.length).trim();
  const groups = isSpaceLike(group) ? s.replace(SPACES, " ") : s;
  const g = isSpaceLike(group) ? " " : group;
  const [whole = "", fraction, ...more] = groups.split(decimal);
  const example = `12${decimal}5`;
  if (more.length > 0) return { ok: false, message: `Use ${shown(decimal)} only once, for decimals (as in ${example})` };
  if (fraction !== undefined && !/^\d*$/.test(fraction)) return { ok: false, message: notANumber(decimal, example) };
  if (!/^\d/.test(whole) && !(whole === "" && fraction)) return { ok: false, message: notANumber(decimal, example) };
  const isGrouped = whole.includes(g);
  if (isGrouped) {
    const valid = new RegExp(`^\\d{1,3}(${escape(g)}\\d{3})+$`).test(whole);
    if (!valid) {
      const looksDecimal = fraction === undefined && new RegExp(`^\\d+${escape(g)}\\d{1,2}$|^\\d+${escape(g)}\\d{4,}$`).test(whole);
      return looksDecimal
        ? { ok: false, message: `${shown(group)} separates thousands here; use ${shown(decimal)} for decimals (as in ${example})` }
        : { ok: false, message: `Thousands separators (${shown(group)}) go between groups of three digits` };
    }
  } else if (!/^\d*$/.test(whole)) {
    return { ok: false, message: notANumber(decimal, example) };
  }
  const value = Number(`${sign}${whole.split(g).join("") || "0"}${fraction ? `.${fraction}` : ""}`);
  if (!Number.isFinite(value)) return { ok: false, message: "This number is too large" };
  return { ok: true, value: Object.is(value, -0) ? 0 : value, isGrouped };
}

function notANumber(decimal: string, example: string): string {
  return `Not a number: type digits, with ${shown(decimal)} for decimals (as in ${example})`;
}

function stripCurrency(text: string, locale: string | undefined, currency: string | undefined): string {
  if (!currency) return text;
  const symbol = new Intl.NumberFormat(locale, { style: "currency", currency }).formatToParts(1).find((p) => p.type === "currency")?.value;
  for (const mark of [currency, symbol]) {
    if (!mark) continue;
    if (text.startsWith(mark)) return text.slice(mark.length).trim();
    if (text.endsWith(mark)) return text.slice(0, -mark.length).trim();
  }
  return text;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** N5: the currency symbol an input shows beside it ("$", "€"), or null. */
export function currencySymbol(currency: string | undefined, locale?: string): string | null {
  if (!currency) return null;
  return new Intl.NumberFormat(locale, { style: "currency", currency }).formatToParts(1).find((p) => p.type === "currency")?.value ?? currency;
}
