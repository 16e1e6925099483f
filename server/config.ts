import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export type ServerConfig = { host: string; port: number; dev: boolean; databaseUrl?: string; redisUrl?: string };

export function readConfig(argv = process.argv): ServerConfig {
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${process.env.PORT}"`);
  return {
    host: process.env.HOST || "127.0.0.1",
    port,
    dev: argv.includes("--dev"),
    databaseUrl: process.env.DATABASE_URL || undefined,
    redisUrl: process.env.REDIS_URL || undefined,
  };
}

/** Session cookies are signed with BETTER_AUTH_SECRET; without one, a secret kept under .data/ survives restarts. */
export function ensureAuthSecret(dataDir = ".data"): void {
  if (process.env.BETTER_AUTH_SECRET) return;
  const file = path.resolve(dataDir, "auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  process.env.BETTER_AUTH_SECRET = fs.readFileSync(file, "utf8").trim();
}
