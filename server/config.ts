// The server's settings, read once at start from the environment and passed down as one typed
// object: nothing below main.ts reads process.env.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";

const flag = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : v === "true" || v === "1"));
const int = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `must be a whole number from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });
/** A comma-separated list of IP addresses or CIDR ranges. */
const addressList = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const entries = (v ?? "")
      .split(",")
      .map((e) => e.trim())
      .filter(Boolean);
    const bad = entries.filter((entry) => {
      const [ip, prefix, ...rest] = entry.split("/");
      const family = isIP(ip ?? "");
      if (family === 0 || rest.length > 0) return true;
      return prefix !== undefined && !(/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
    });
    if (bad.length > 0) {
      ctx.addIssue({ code: "custom", message: `must list IP addresses or CIDR ranges, got "${bad.join(", ")}"` });
      return z.NEVER;
    }
    return entries;
  });
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));

const EnvSchema = z.object({
  HOST: optionalText,
  PORT: int(3000, 0, 65535),
  DATABASE_URL: optionalText,
  DATABASE_POOL_SIZE: int(20, 1, 1000),
  TANDEM_DB_CONNECT_TIMEOUT_MS: int(5000, 100, 120_000),
  TANDEM_DB_STATEMENT_TIMEOUT_MS: int(15_000, 100, 600_000),
  TANDEM_DB_LOCK_TIMEOUT_MS: int(5000, 100, 600_000),
  // 0: the statement timeout plus a second, so it only fires when the server cannot enforce its own.
  TANDEM_DB_QUERY_TIMEOUT_MS: int(0, 0, 600_000),
  TANDEM_HEALTH_TIMEOUT_MS: int(2000, 100, 60_000),
  REDIS_URL: optionalText,
  TANDEM_REDIS_PREFIX: optionalText,
  BETTER_AUTH_SECRET: optionalText,
  BETTER_AUTH_URL: optionalText,
  TANDEM_SEED: flag(true),
  TANDEM_OPEN_SIGNUP: flag(false),
  TANDEM_AUTH_ADDRESS_LIMIT: int(10, 1, 1_000_000),
  TANDEM_AUTH_ADDRESS_WINDOW_S: int(60, 1, 86_400),
  TANDEM_AUTH_ACCOUNT_LIMIT: int(10, 1, 1_000_000),
  TANDEM_AUTH_ACCOUNT_WINDOW_S: int(900, 1, 86_400),
  TANDEM_TRUSTED_PROXIES: addressList,
  TANDEM_CHECKPOINT_MS: int(2000, 10, 600_000),
  TANDEM_METRICS_TOKEN: optionalText,
  /** false: no metrics and no contention rollups are counted (the bench's baseline) */
  TANDEM_METRICS: flag(true),
  TANDEM_CONTENTION_FLUSH_MS: int(5000, 10, 600_000),
  TANDEM_CONTENTION_RETENTION_DAYS: int(14, 1, 3660),
  TANDEM_WEBHOOKS_ALLOW_PRIVATE: flag(false),
  TANDEM_WEBHOOK_TIMEOUT_MS: int(5000, 100, 60_000),
  TANDEM_WEBHOOK_CONCURRENCY: int(8, 1, 256),
  /** tests only: every retry wait is divided by this (1000: the first retry within 10 ms) */
  TANDEM_WEBHOOK_RETRY_DIVISOR: int(1, 1, 1_000_000),
  TANDEM_OUTBOX_POLL_MS: int(1000, 10, 60_000),
  /** how long an import's process may go unheard before the job counts as interrupted (resumable) */
  TANDEM_IMPORT_LEASE_MS: int(30_000, 300, 3_600_000),
  /** tests only: the process kills itself right after committing a write that sets a value equal to this */
  TANDEM_TEST_CRASH_ON_VALUE: optionalText,
  TANDEM_PARENT_PID: int(0, 0, 2 ** 31 - 1),
});

export type ServerConfig = {
  host: string;
  port: number;
  dev: boolean;
  /** unset: the embedded PostgreSQL under dataDir */
  databaseUrl?: string;
  database: { poolSize: number; connectTimeoutMs: number; statementTimeoutMs: number; lockTimeoutMs: number; queryTimeoutMs: number };
  /** how long /api/health waits for the database before it reports it down */
  healthTimeoutMs: number;
  redis?: { url: string; prefix: string };
  auth: {
    secret?: string;
    baseUrl?: string;
    isSecureCookies: boolean;
    isOpenSignup: boolean;
    /** sign-in and sign-up attempts: per address (and path), and per account; windows in seconds */
    rateLimit: { address: { window: number; max: number }; account: { window: number; max: number } };
    /** proxies whose X-Forwarded-For is believed, so that the address limit counts clients, not the proxy */
    trustedProxies: string[];
  };
  seed: boolean;
  checkpointMs: number;
  /** GET /api/metrics answers only with this bearer token; unset: the endpoint is off (404) */
  metricsToken?: string;
  /** counting metrics and contention at all; how often rollups are written, how long they are kept */
  metrics: { isEnabled: boolean; flushMs: number; retentionDays: number };
  webhooksAllowPrivate: boolean;
  webhooks: { timeoutMs: number; concurrency: number; retryDivisor: number };
  /** how often each process reads the outbox when no notification woke it */
  outboxPollMs: number;
  /** an import's lease: renewed by its batches and a heartbeat; run out, the job was interrupted */
  importLeaseMs: number;
  /** tests only: see TANDEM_TEST_CRASH_ON_VALUE */
  crashOnValue?: string;
  /** a test runner's pid: exit when it is gone */
  parentPid?: number;
  dataDir: string;
};

/** Parses the environment; a bad value fails the start with a message naming the variable. */
export function readConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv): ServerConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ");
    throw new Error(`Configuration error: ${problems}`);
  }
  const e = parsed.data;
  return {
    host: e.HOST ?? "127.0.0.1",
    port: e.PORT,
    dev: argv.includes("--dev"),
    databaseUrl: e.DATABASE_URL,
    database: {
      poolSize: e.DATABASE_POOL_SIZE,
      connectTimeoutMs: e.TANDEM_DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: e.TANDEM_DB_STATEMENT_TIMEOUT_MS,
      lockTimeoutMs: e.TANDEM_DB_LOCK_TIMEOUT_MS,
      queryTimeoutMs: e.TANDEM_DB_QUERY_TIMEOUT_MS || e.TANDEM_DB_STATEMENT_TIMEOUT_MS + 1000,
    },
    healthTimeoutMs: e.TANDEM_HEALTH_TIMEOUT_MS,
    redis: e.REDIS_URL ? { url: e.REDIS_URL, prefix: e.TANDEM_REDIS_PREFIX ?? "tandem" } : undefined,
    auth: {
      secret: e.BETTER_AUTH_SECRET,
      baseUrl: e.BETTER_AUTH_URL,
      isSecureCookies: (e.BETTER_AUTH_URL ?? "").startsWith("https://"),
      isOpenSignup: e.TANDEM_OPEN_SIGNUP,
      rateLimit: {
        address: { window: e.TANDEM_AUTH_ADDRESS_WINDOW_S, max: e.TANDEM_AUTH_ADDRESS_LIMIT },
        account: { window: e.TANDEM_AUTH_ACCOUNT_WINDOW_S, max: e.TANDEM_AUTH_ACCOUNT_LIMIT },
      },
      trustedProxies: e.TANDEM_TRUSTED_PROXIES,
    },
    seed: e.TANDEM_SEED,
    checkpointMs: e.TANDEM_CHECKPOINT_MS,
    metricsToken: e.TANDEM_METRICS_TOKEN,
    metrics: { isEnabled: e.TANDEM_METRICS, flushMs: e.TANDEM_CONTENTION_FLUSH_MS, retentionDays: e.TANDEM_CONTENTION_RETENTION_DAYS },
    webhooksAllowPrivate: e.TANDEM_WEBHOOKS_ALLOW_PRIVATE,
    webhooks: { timeoutMs: e.TANDEM_WEBHOOK_TIMEOUT_MS, concurrency: e.TANDEM_WEBHOOK_CONCURRENCY, retryDivisor: e.TANDEM_WEBHOOK_RETRY_DIVISOR },
    outboxPollMs: e.TANDEM_OUTBOX_POLL_MS,
    importLeaseMs: e.TANDEM_IMPORT_LEASE_MS,
    crashOnValue: e.TANDEM_TEST_CRASH_ON_VALUE,
    parentPid: e.TANDEM_PARENT_PID || undefined,
    dataDir: ".data",
  };
}

/**
 * Session cookies are signed with BETTER_AUTH_SECRET; without one, a secret generated once and
 * kept under the data folder survives restarts.
 */
export function withAuthSecret(config: ServerConfig): ServerConfig & { auth: { secret: string } } {
  if (config.auth.secret) {
    if (config.auth.secret.length < 32) throw new Error("Configuration error: BETTER_AUTH_SECRET must be at least 32 characters");
    return { ...config, auth: { ...config.auth, secret: config.auth.secret } };
  }
  const file = path.resolve(config.dataDir, "auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return { ...config, auth: { ...config.auth, secret: fs.readFileSync(file, "utf8").trim() } };
}
