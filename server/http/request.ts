import { createHash } from "node:crypto";
import { findImpreciseNumber, findUnstorable, MAX_JSON_DEPTH, nestsDeeperThan, unstorableText } from "@/lib/input-safety";
import { AppError, badRequest, invalid } from "@/server/errors";
import type { IdempotencyRequest } from "@/server/usecases/deps";
import type { ApiRequest } from "./api";

export const MAX_BODY_BYTES = 1024 * 1024;

/** The JSON body, read with a hard size limit; every way it can be wrong is a 4xx. */
export async function readJsonBody(request: ApiRequest): Promise<{ value: unknown; text: string }> {
  // A JSON content type is required, not assumed: a browser sends a form, a beacon or a text/plain
  // fetch to another site without asking first (no CORS preflight), but never application/json.
  if (!isJsonContentType(request.headers.get("content-type"))) {
    throw new AppError("unsupported_media_type", "Send the body as application/json (Content-Type: application/json)");
  }
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw new AppError("payload_too_large", `The request body is over ${MAX_BODY_BYTES / 1024 / 1024} MB`);
  const text = await request.readBody(MAX_BODY_BYTES);
  if (text.trim() === "") throw badRequest("The request body is empty; send a JSON object");
  // S4: refused before it is parsed or walked.
  if (nestsDeeperThan(text)) throw badRequest(`The request body nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest("The request body is not valid JSON");
  }
  // S2, S3 (lib/SPEC.md): text the database cannot store and numbers a double cannot hold are
  // refused here, for every JSON route at once, naming where they are.
  const unstorable = findUnstorable(value);
  if (unstorable) throw new AppError("bad_request", `${unstorable.path || "The body"}: ${unstorable.message}`, { field: unstorable.path });
  const imprecise = findImpreciseNumber(text);
  if (imprecise) {
    const message = Number.isFinite(Number(imprecise.literal))
      ? `${imprecise.literal} cannot be stored exactly; send fewer digits`
      : `${imprecise.literal} is too large to be a number`;
    throw invalid({ [imprecise.key ?? "_"]: message });
  }
  return { value, text };
}

/** application/json or a +json type, parameters (charset) allowed. */
export function isJsonContentType(type: string | null | undefined): boolean {
  return !!type && /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(type.trim());
}

export function requireObject(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw badRequest("The request body must be a JSON object");
  return value as Record<string, unknown>;
}

/**
 * The Idempotency-Key, bound to what was asked: the same key is only a retry when method,
 * path and body are the same.
 */
export function readIdempotency(request: ApiRequest, bodyText: string): IdempotencyRequest | undefined {
  const key = request.headers.get("idempotency-key");
  if (key === null) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) throw badRequest("Idempotency-Key must be 1 to 255 visible ASCII characters");
  const url = request.url;
  const canonical = (() => {
    try {
      return JSON.stringify(JSON.parse(bodyText));
    } catch {
      return bodyText;
    }
  })();
  const requestHash = createHash("sha256").update(`${request.method} ${url.pathname}\n${canonical}`).digest("hex");
  return { key, requestHash };
}

/** The query parameters; one holding text the database cannot store is refused, by name. */
export function readQuery(request: ApiRequest): Record<string, string> {
  const query = Object.fromEntries(request.url.searchParams.entries());
  for (const [name, value] of Object.entries(query)) {
    const problem = unstorableText(name) ?? unstorableText(value);
    if (problem) throw badRequest(`Query parameter ${JSON.stringify(name.slice(0, 60))}: ${problem}`);
  }
  return query;
}

/** The preferences of a Prefer header (RFC 7240): `Prefer: merge, return=minimal` → {merge, return}. */
export function readPreferences(request: ApiRequest): Set<string> {
  const header = request.headers.get("prefer") ?? "";
  return new Set(
    header
      .split(",")
      .map((part) => part.split(/[;=]/)[0]!.trim().toLowerCase())
      .filter(Boolean),
  );
}
