/** Prisma's own error codes (P1000–P6999), which wrap a database error rather than name one. */
const PRISMA_CODE = /^P[1-9]\d{3}$/;
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * The SQLSTATE of a database error, wherever the driver or Prisma put it. A Prisma code on the
 * outside (P2010 "raw query failed") is never the answer: the SQLSTATE nested under it is.
 */
export function getPgErrorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): string | undefined => {
    if (!value || typeof value !== "object" || seen.has(value) || depth > 8) return undefined;
    seen.add(value);
    const v = value as Record<string, unknown>;
    for (const key of ["originalCode", "code", "sqlState"]) {
      const code = v[key];
      if (typeof code === "string" && SQLSTATE.test(code) && !PRISMA_CODE.test(code)) return code;
    }
    for (const key of ["cause", "meta", "driverAdapterError", "original", "error"]) {
      const found = visit(v[key], depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  return visit(error, 0);
}

/** The constraint a unique violation hit, when the driver reports it. */
export function getPgConstraint(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): string | undefined => {
    if (!value || typeof value !== "object" || seen.has(value) || depth > 8) return undefined;
    seen.add(value);
    const v = value as Record<string, unknown>;
    if (typeof v.constraint === "string") return v.constraint;
    for (const key of ["cause", "meta", "driverAdapterError", "original", "error"]) {
      const found = visit(v[key], depth + 1);
      if (found) return found;
    }
    const message = typeof v.message === "string" ? v.message : "";
    return /unique constraint "([^"]+)"/.exec(message)?.[1];
  };
  return visit(error, 0);
}

export const TRANSIENT_CODES = new Set(["40001", "40P01"]);
export const UNIQUE_VIOLATION = "23505";
/** Raised by tandem_refuse_limit: a collection total would be crossed; the statement undid itself. */
export const LIMIT_REFUSED = "TDLIM";
