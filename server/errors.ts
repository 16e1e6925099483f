// One application error with a code from the shared contract (lib/errors.ts), its HTTP status and a
// message fit to show. Refusals that carry data for the client (stale, limit) are subclasses.
import { ERROR_STATUS, type ErrorCode, type LimitBody, type ServerMerge } from "@/lib/errors";
import type { RecordDto, RecordValues } from "@/lib/types";

export { ERROR_CODES, type ErrorCode } from "@/lib/errors";

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown>;
  /** extra response headers, e.g. Retry-After */
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.details = details;
    this.headers = headers;
  }

  toJSON(): Record<string, unknown> {
    return { error: this.code, message: this.message, ...this.details };
  }
}

export const notFound = (what = "Record") => new AppError("not_found", `${what} not found`);
export const forbidden = (message = "You do not have permission to do this") => new AppError("forbidden", message);
export const unauthenticated = () => new AppError("unauthenticated", "Sign in to continue");
export const badRequest = (message: string) => new AppError("bad_request", message);
export const invalid = (fields: Record<string, string>, message = "Some values are not valid") => new AppError("invalid", message, { fields });
export const gone = (current: RecordDto) => new AppError("gone", "This record was deleted", { current });
/** SPEC P4: the collection's records are read-only until an owner unarchives it. */
export const archived = () => new AppError("archived", "This collection is archived");
export const preconditionRequired = (what = "save it") => new AppError("precondition_required", `Send the record's ETag in an If-Match header to ${what}`);

/** A save refused because the record moved on since the client's base version: everything needed to merge. */
export class StaleError extends AppError {
  constructor(current: RecordDto, base: { version: number; values: RecordValues }, conflicts: string[], merge?: ServerMerge) {
    super("stale", `This record was saved by ${current.updatedBy.name} (v${current.version}) since your copy (v${base.version})`, {
      current,
      base,
      conflicts,
      ...(merge ? { merge } : {}),
    });
    this.name = "StaleError";
  }
}

/** A write that would cross a counter's bound or a collection limit; nothing was written. */
export class LimitError extends AppError {
  constructor(body: Omit<LimitBody, "error">) {
    const { message, ...details } = body;
    super("limit", message, details);
    this.name = "LimitError";
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
