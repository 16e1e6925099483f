// Accounts and sessions (better-auth with its Prisma adapter), built once from the server's
// config and database. Reading the session of a request: sessions.ts.
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import type { ServerConfig } from "@/server/config";
import type { Db } from "@/server/persistence/prisma";

export function createAuth(config: ServerConfig & { auth: { secret: string } }, db: Db) {
  return betterAuth({
    secret: config.auth.secret,
    // No baseURL: better-auth derives it from each request, so any PORT/HOST works.
    ...(config.auth.baseUrl ? { baseURL: config.auth.baseUrl } : {}),
    database: prismaAdapter(db.prisma, { provider: "postgresql" }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, autoSignIn: true },
    session: {
      expiresIn: 60 * 60 * 24 * 7,
      updateAge: 60 * 60 * 24,
      // No signed copy of the session in a cookie: nobody could revoke it. sessions.ts keeps
      // verified sessions briefly and drops them when the database says they ended.
      cookieCache: { enabled: false },
    },
    trustedOrigins: (request) => {
      const origin = request?.headers.get("origin");
      const host = request?.headers.get("host");
      // Same-origin requests only: the page's own host, whatever port it runs on.
      return origin && host && new URL(origin).host === host ? [origin] : [];
    },
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    // Secure cookies only behind https: on plain http (local use) the browser would drop them.
    advanced: { cookiePrefix: "tandem", useSecureCookies: config.auth.isSecureCookies },
    // The base URL is derived per request on purpose (any host/port); don't warn about it.
    logger: { level: "error" },
  });
}

export type Auth = ReturnType<typeof createAuth>;

export type SessionUser = { id: string; name: string; email: string };
