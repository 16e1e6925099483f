// Version tokens for optimistic concurrency. A strong ETag "<version>-<record tag>": opaque to
// clients, but bound to its record, so a token copied from another record is refused instead
// of being compared as a bare version number.

export type IfMatchError = "missing" | "weak" | "wildcard" | "malformed" | "other-record";
export type IfMatchResult = { ok: true; version: number } | { ok: false; reason: IfMatchError; message: string };

const TOKEN_PATTERN = /^"(0|[1-9]\d{0,15})-([0-9a-f]{8})"$/;
/** The largest version a record can have (int4). */
export const MAX_VERSION = 2_147_483_647;

/** The ETag header value, quotes included, e.g. "7-1a2b3c4d". */
export function formatEtag(recordId: string, version: number): string {
  if (!Number.isSafeInteger(version) || version < 0 || version > MAX_VERSION) throw new RangeError(`Invalid version ${version}`);
  return `"${version}-${recordTag(recordId)}"`;
}

/**
 * Reads an If-Match header for one record. Only a single strong tag of this record is accepted:
 * "*" would skip the version check, and a weak or listed tag cannot name one exact version.
 */
export function parseIfMatch(header: string | null | undefined, recordId: string): IfMatchResult {
  const value = header?.trim() ?? "";
  if (value === "") return fail("missing", "If-Match header is required: send the ETag you read the record with");
  if (value === "*") return fail("wildcard", 'If-Match "*" is not accepted: send the ETag of the version you edited');
  if (value.startsWith("W/")) return fail("weak", "A weak ETag (W/...) is not accepted: send the strong ETag exactly as received");
  if (isList(value)) return fail("malformed", "If-Match must hold exactly one ETag, not a list");
  const match = TOKEN_PATTERN.exec(value);
  const version = match ? Number(match[1]) : NaN;
  // Versions are PostgreSQL integers: a token naming one past that range is no token of ours.
  if (!match || !Number.isSafeInteger(version) || version > MAX_VERSION) {
    return fail("malformed", 'If-Match is not an ETag of this API: send the ETag header value, quotes included (e.g. "3-1a2b3c4d")');
  }
  if (match[2] !== recordTag(recordId)) return fail("other-record", "This ETag belongs to another record");
  return { ok: true, version };
}

function fail(reason: IfMatchError, message: string): IfMatchResult {
  return { ok: false, reason, message };
}

/** A comma outside quotes separates several entity tags. */
function isList(value: string): boolean {
  let isQuoted = false;
  for (const char of value) {
    if (char === '"') isQuoted = !isQuoted;
    else if (char === "," && !isQuoted) return true;
  }
  return false;
}

/**
 * 8 hex chars from a 32-bit FNV-1a hash of the whole id. Not a uuid prefix: the first 8 hex
 * digits of a UUIDv7 are a timestamp, shared by every record created in the same minute.
 */
function recordTag(recordId: string): string {
  let hash = 0x811c9dc5;
  for (const char of recordId.toLowerCase()) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}
