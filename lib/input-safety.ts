// Input PostgreSQL cannot keep, refused where it arrives (rules S1–S3 in lib/SPEC.md) so that no
// such value ever reaches a statement and turns into a 500.

/** S1: text PostgreSQL can store — no NUL character, no unpaired UTF-16 surrogate. */
export function unstorableText(text: string): string | null {
  if (text.includes("\u0000")) return "Must not contain the NUL character";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return "Must not contain a broken character (an unpaired surrogate)";
    }
    if (code >= 0xdc00 && code <= 0xdfff) return "Must not contain a broken character (an unpaired surrogate)";
  }
  return null;
}

/** S2: every string inside a JSON value (object keys included) is storable; the first problem, with where. */
export function findUnstorable(value: unknown, path = ""): { path: string; message: string } | null {
  if (typeof value === "string") {
    const message = unstorableText(value);
    return message ? { path, message } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorable(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = unstorableText(key);
      if (keyProblem) return { path: path ? `${path}.<key>` : "<key>", message: keyProblem };
      const found = findUnstorable(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

/**
 * S3: a number literal in a JSON text that a double cannot hold exactly as written (9007199254740993
 * reads as …992): the first one, and the key it belongs to. One pass over the text; strings are skipped.
 */
export function findImpreciseNumber(json: string): { key: string | null; literal: string } | null {
  let lastKey: string | null = null;
  let i = 0;
  while (i < json.length) {
    const c = json[i]!;
    if (c === '"') {
      const end = stringEnd(json, i);
      // A string followed by ":" is a key: the numbers after it belong to it.
      let j = end + 1;
      while (j < json.length && /\s/.test(json[j]!)) j++;
      if (json[j] === ":") lastKey = json.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === "-" || (c >= "0" && c <= "9")) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(json.slice(i, i + 400));
      if (!match) return null;
      const literal = match[0];
      if (!sameDecimal(literal, String(Number(literal)))) return { key: lastKey, literal: literal.slice(0, 60) };
      i += literal.length;
      continue;
    }
    i++;
  }
  return null;
}

/** S4: how deep a JSON body may nest; no field, schema or command needs more than a few levels. */
export const MAX_JSON_DEPTH = 64;

/**
 * S4: whether a JSON text nests arrays and objects deeper than `max`, read in one pass over the
 * text (strings skipped), before anything parses or walks it: a walker that recurses on such a
 * value (ours, a library's) would run out of stack and answer 500.
 */
export function nestsDeeperThan(json: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22 /* " */) i = stringEnd(json, i);
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return false;
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}

/** Whether two decimal literals name the same number (1.50 = 1.5 = 15e-1). */
function sameDecimal(a: string, b: string): boolean {
  const x = canonical(a);
  const y = canonical(b);
  return x.sign === y.sign && x.digits === y.digits && x.exponent === y.exponent;
}

function canonical(literal: string): { sign: string; digits: string; exponent: number } {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (!match) return { sign: "", digits: literal, exponent: 0 };
  const [, sign, whole, fraction = "", exp = "0"] = match;
  let digits = `${whole}${fraction}`.replace(/^0+/, "");
  let exponent = Number(exp) - fraction.length;
  if (digits === "") return { sign: "", digits: "0", exponent: 0 };
  const trailing = /0+$/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  return { sign: sign ?? "", digits, exponent };
}
