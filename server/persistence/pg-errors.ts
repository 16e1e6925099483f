/** The SQLSTATE of a database error, wherever Prisma's driver adapter put it. */
export function getPgErrorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (value: unknown): string | undefined => {
    if (!value || typeof value !== "object" || seen.has(value)) return undefined;
    seen.add(value);
    const v = value as Record<string, unknown>;
    for (const key of ["originalCode", "code"]) {
      const code = v[key];
      if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    }
    for (const key of ["cause", "meta", "driverAdapterError"]) {
      const found = visit(v[key]);
      if (found) return found;
    }
    return undefined;
  };
  return visit(error);
}

/** The constraint a unique violation hit, when the driver reports it. */
export function getPgConstraint(error: unknown): string | undefined {
  const text = JSON.stringify(error, (_k, v) => (typeof v === "bigint" ? String(v) : v)) ?? "";
  const fromMessage = error instanceof Error ? error.message : "";
  const match = /"?(idempotency_keys_pkey|revisions_recordId_version_key|[a-z_]+_pkey|[a-zA-Z_]+_key)"?/.exec(fromMessage + text);
  return match?.[1];
}

export const TRANSIENT_CODES = new Set(["40001", "40P01"]);
export const UNIQUE_VIOLATION = "23505";
