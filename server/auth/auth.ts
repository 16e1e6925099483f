// Accounts and sessions (better-auth with its Prisma adapter), built once from the server's
// config and database, and a session reader that spares the signature check on hot paths.
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
      // A signed copy of the session in a cookie spares one query per request;
      // sign-out clears it, and it lives 60 s at most.
      cookieCache: { enabled: true, maxAge: 60 },
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

type HeaderSource = { get(name: string): string | null };

export type Sessions = { getUser(headers: HeaderSource): Promise<SessionUser | null> };

// Verified sessions, keyed by the signed session-data cookie (which carries its own expiry).
// It trusts a session exactly as long as better-auth's cookie cache does (at most CACHE_MS), and
// spares the signature check and the framework work on every request. A request that carries
// only the session token (no cached copy) always goes to the database.
const CACHE_MS = 30_000;
const CACHE_MAX = 10_000;

function sessionDataCookie(cookie: string): string | null {
  const match = /(?:^|;\s*)(?:__Secure-)?tandem\.session_data=([^;]+)/.exec(cookie);
  return match ? match[1]! : null;
}

export function createSessions(auth: Auth): Sessions {
  const verified = new Map<string, { user: SessionUser; until: number }>();
  return {
    async getUser(headers) {
      const cookie = headers.get("cookie") ?? "";
      if (!cookie) return null;
      const key = sessionDataCookie(cookie);
      const now = Date.now();
      if (key) {
        const hit = verified.get(key);
        if (hit && hit.until > now) return hit.user;
        if (hit) verified.delete(key);
      }
      const session = await auth.api.getSession({ headers: new Headers({ cookie }) });
      if (!session) return null;
      const { id, name, email } = session.user;
      const user = { id, name, email };
      if (key) {
        if (verified.size >= CACHE_MAX) verified.delete(verified.keys().next().value!);
        const expires = new Date(session.session.expiresAt).getTime();
        verified.set(key, { user, until: Math.min(now + CACHE_MS, expires) });
      }
      return user;
    },
  };
}
