// Accounts and sessions (better-auth with its Prisma adapter), built once from the server's
// config and database. Reading the session of a request: sessions.ts.
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import type { ServerConfig } from "@/server/config";
import { isOwnOrigin } from "@/server/http/origin";
import type { Db } from "@/server/persistence/prisma";
import { isPendingInvitation } from "@/server/usecases/invitations";
import { accountRateLimit, addressRateLimit, type AttemptStore } from "./rate-limit";
import { signUpGate } from "./sign-up-gate";

/** The header the custom server sets to the client's address (replacing any sent): the limiter's key. */
export const CLIENT_IP_HEADER = "x-tandem-client-ip";

export function createAuth(config: ServerConfig & { auth: { secret: string } }, db: Db, attempts: AttemptStore) {
  return betterAuth({
    secret: config.auth.secret,
    // No baseURL: better-auth derives it from each request, so any PORT/HOST works.
    ...(config.auth.baseUrl ? { baseURL: config.auth.baseUrl } : {}),
    database: prismaAdapter(db.prisma, { provider: "postgresql" }),
    // No session from sign-up: better-auth then answers an existing email exactly as a new one
    // (same body, the password hashed either way), so sign-up does not tell who has an account.
    emailAndPassword: { enabled: true, minPasswordLength: 8, autoSignIn: false },
    session: {
      expiresIn: 60 * 60 * 24 * 7,
      updateAge: 60 * 60 * 24,
      // No signed copy of the session in a cookie: nobody could revoke it. sessions.ts keeps
      // verified sessions briefly and drops them when the database says they ended.
      cookieCache: { enabled: false },
    },
    // Same-origin requests only (the rule of server/http/origin.ts, which never throws: "null" and
    // garbage are simply not trusted).
    trustedOrigins: (request) => {
      const origin = request?.headers.get("origin");
      return origin && isOwnOrigin(origin, request?.headers.get("host") ?? undefined, config.auth.baseUrl) ? [origin] : [];
    },
    rateLimit: addressRateLimit(attempts, config.auth.rateLimit.address),
    // The gate runs after the limiter, so that refused sign-ups count as attempts too.
    plugins: [
      accountRateLimit(attempts, config.auth.rateLimit.account),
      signUpGate({ isOpen: config.auth.isOpenSignup, secret: config.auth.secret, isInvited: (token) => isPendingInvitation({ db }, token) }),
    ],
    telemetry: { enabled: false },
    // Errors that are not better-auth's own answers reach the custom server, which tells a database
    // that does not answer (503) from a bug (500) and a client that hung up (neither).
    onAPIError: { throw: true },
    advanced: {
      cookiePrefix: "tandem",
      // Secure cookies only behind https: on plain http (local use) the browser would drop them.
      useSecureCookies: config.auth.isSecureCookies,
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER], trustedProxies: config.auth.trustedProxies },
    },
    // The base URL is derived per request on purpose (any host/port); don't warn about it.
    logger: { level: "error" },
  });
}

export type Auth = ReturnType<typeof createAuth>;

export type SessionUser = { id: string; name: string; email: string };
