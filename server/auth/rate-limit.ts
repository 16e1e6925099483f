// Sign-in and sign-up attempts, limited per address and per account. better-auth's own limiter
// counts per address and path (its `rateLimit`, with rules for the credential paths); a small
// plugin adds the count per account, which better-auth does not key on. Both count in one
// PostgreSQL table, so every server process sees the same numbers.
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import type pg from "pg";

export type LimitRule = { /** seconds */ window: number; max: number };

export type AttemptStore = {
  /** Counts one attempt for `key`; refused once `max` were counted in the current window. */
  consume(key: string, rule: LimitRule): Promise<{ allowed: boolean; retryAfter: number | null }>;
  reset(key: string): Promise<void>;
  purgeExpired(): Promise<number>;
};

// One statement: a new key, an expired window restarted, or one more attempt in the current one.
// Atomic under concurrency (the row is locked by ON CONFLICT), so parallel guesses cannot all slip
// through a stale read.
const CONSUME_SQL = `
INSERT INTO rate_limits (key, count, "expiresAt") VALUES ($1, 1, now() + make_interval(secs => $2))
ON CONFLICT (key) DO UPDATE SET
  count = CASE WHEN rate_limits."expiresAt" <= now() THEN 1 ELSE rate_limits.count + 1 END,
  "expiresAt" = CASE WHEN rate_limits."expiresAt" <= now() THEN now() + make_interval(secs => $2) ELSE rate_limits."expiresAt" END
RETURNING count, GREATEST(1, ceil(extract(epoch FROM "expiresAt" - now())))::int AS "retryAfter"`;

export function createAttemptStore(pool: pg.Pool): AttemptStore {
  return {
    async consume(key, rule) {
      const { rows } = await pool.query<{ count: number; retryAfter: number }>(CONSUME_SQL, [key, rule.window]);
      const row = rows[0]!;
      return row.count <= rule.max ? { allowed: true, retryAfter: null } : { allowed: false, retryAfter: row.retryAfter };
    },
    async reset(key) {
      await pool.query(`DELETE FROM rate_limits WHERE key = $1`, [key]);
    },
    async purgeExpired() {
      return (await pool.query(`DELETE FROM rate_limits WHERE "expiresAt" < now()`)).rowCount ?? 0;
    },
  };
}

export const SIGN_IN_PATH = "/sign-in/email";
export const SIGN_UP_PATH = "/sign-up/email";
const CREDENTIAL_PATHS = new Set([SIGN_IN_PATH, SIGN_UP_PATH]);

export const TOO_MANY_ATTEMPTS = "Too many attempts. Please wait a moment and try again.";

const accountKey = (email: string, path: string) => `account:${email.trim().toLowerCase()}|${path}`;

/**
 * The per-account count: every sign-in or sign-up attempt naming an email counts against that
 * email, from any address; a successful sign-in clears the count, so only failures add up.
 */
export function accountRateLimit(store: AttemptStore, rule: LimitRule): BetterAuthPlugin {
  return {
    id: "tandem-account-rate-limit",
    hooks: {
      before: [
        {
          matcher: (ctx) => CREDENTIAL_PATHS.has(ctx.path ?? ""),
          handler: createAuthMiddleware(async (ctx) => {
            const email = (ctx.body as { email?: unknown } | undefined)?.email;
            if (typeof email !== "string" || email.trim() === "") return;
            const { allowed, retryAfter } = await store.consume(accountKey(email, ctx.path), rule);
            if (!allowed) {
              throw new APIError(
                "TOO_MANY_REQUESTS",
                { message: TOO_MANY_ATTEMPTS, code: "TOO_MANY_ATTEMPTS" },
                { "retry-after": String(retryAfter ?? rule.window) },
              );
            }
          }),
        },
      ],
      after: [
        {
          matcher: (ctx) => ctx.path === SIGN_IN_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            const email = (ctx.body as { email?: unknown } | undefined)?.email;
            if (ctx.context.newSession && typeof email === "string") await store.reset(accountKey(email, SIGN_IN_PATH));
          }),
        },
      ],
    },
  };
}

/**
 * better-auth's own limiter, per address: its rules for every auth path, ours for the credential
 * ones, counted in the shared table.
 */
export function addressRateLimit(store: AttemptStore, rule: LimitRule) {
  return {
    enabled: true,
    customRules: { [SIGN_IN_PATH]: rule, [SIGN_UP_PATH]: rule },
    customStorage: { consume: (key: string, r: LimitRule) => store.consume(`address:${key}`, r) },
  };
}
