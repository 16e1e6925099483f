import type { RecordDto, RecordValues } from "@/lib/types";

export const ERROR_CODES = [
  "bad_request",
  "unauthenticated",
  "forbidden",
  "not_found",
  "gone",
  "invalid",
  "stale",
  "precondition_required",
  "payload_too_large",
  "unsupported_media_type",
  "idempotency_mismatch",
  "idempotency_in_progress",
  "method_not_allowed",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  gone: 410,
  invalid: 422,
  stale: 412,
  precondition_required: 428,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_mismatch: 422,
  idempotency_in_progress: 409,
  method_not_allowed: 405,
  internal: 500,
};

/** An error a user can act on: a stable code, an HTTP status and a message fit to show. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.status = STATUS[code];
    this.details = details;
  }

  toJSON(): Record<string, unknown> {
    return { error: this.code, message: this.message, ...this.details };
  }
}

export const notFound = (what = "Record") => new AppError("not_found", `${what} not found`);
export const forbidden = (message = "You do not have permission to do this") => new AppError("forbidden", message);
export const unauthenticated = () => new AppError("unauthenticated", "Sign in to continue");
export const badRequest = (message: string) => new AppError("bad_request", message);
export const invalid = (fields: Record<string, string>) =>
  new AppError("invalid", "Some values are not valid", { fields });

/** A save refused because the record moved on since the client's base version. */
export class StaleError extends AppError {
  constructor(current: RecordDto, base: { version: number; values: RecordValues }, conflicts: string[]) {
    super("stale", `This record was saved by ${current.updatedBy.name} (v${current.version}) since your copy (v${base.version})`, {
      current,
      base,
      conflicts,
    });
    this.name = "StaleError";
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
